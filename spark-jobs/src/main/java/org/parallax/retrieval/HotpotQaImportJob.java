package org.parallax.retrieval;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;

/**
 * {@code retrieval import-hotpotqa}: a HotpotQA file (distractor or fullwiki JSON) to a Search-R1
 * corpus ({@code corpus/}: one passage per context paragraph, id = its Wikipedia title, contents
 * {@code "title"\ntext}) and QA set ({@code qa/}: {@code id, question, golden_answers,
 * data_source=hotpotqa}). A paragraph shared by several questions appears in the corpus as often
 * as it is listed; {@code retrieval index} keeps one copy per id.
 */
public final class HotpotQaImportJob implements Job<HotpotQaOptions> {
  @Override
  public String name() {
    return "retrieval import-hotpotqa";
  }

  @Override
  public java.util.List<String> inputs(HotpotQaOptions o) {
    return java.util.Arrays.asList(o.input());
  }

  @Override
  public void run(JobContext ctx, HotpotQaOptions o) {
    // A context entry is [title, [sentences]]: read it as text, then parse the sentence list.
    StructType schema = new StructType().add("_id", DataTypes.StringType)
        .add("question", DataTypes.StringType).add("answer", DataTypes.StringType)
        .add("context", DataTypes.createArrayType(DataTypes.createArrayType(
            DataTypes.StringType)));
    Dataset<Row> questions = ctx.spark().read().option("multiLine", "true").schema(schema)
        .json(o.input()).cache();
    long n = questions.count();
    if (n == 0) {
      throw new JobFailedException("input hotpotqa (" + o.input() + ") has no questions; "
          + "expected a JSON list of HotpotQA records");
    }
    Dataset<Row> paragraphs = questions.select(explode(col("context")).as("c"))
        .select(element_at(col("c"), 1).as("id"),
            from_json(element_at(col("c"), 2), DataTypes.createArrayType(DataTypes.StringType))
                .as("sentences"));
    Dataset<Row> corpus = paragraphs.select(col("id"),
        concat(lit("\""), col("id"), lit("\"\n"), array_join(col("sentences"), "")).as("contents"));
    ctx.report().time("corpus", () -> corpus.write().json(ctx.out().path("corpus")));
    Dataset<Row> qa = questions.select(col("_id").as("id"), col("question"),
        array(col("answer")).as("golden_answers"), lit("hotpotqa").as("data_source"));
    ctx.report().time("qa", () -> qa.write().json(ctx.out().path("qa")));
    ctx.report().count("questions", n)
        .count("paragraphs", ctx.spark().read().json(ctx.out().path("corpus")).count())
        .output("corpus", ctx.out().finalPath("corpus")).output("qa", ctx.out().finalPath("qa"));
    questions.unpersist();
  }
}
