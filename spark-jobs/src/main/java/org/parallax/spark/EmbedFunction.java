package org.parallax.spark;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.parallax.retrieval.EncoderAccess;
import org.parallax.retrieval.dense.E5Encoder;

/**
 * {@code parallax_embed(text[, kind])}: the unit-norm e5 embedding of a text as
 * {@code array<float>}, with e5's {@code "query: "} (kind {@code query}, the default) or
 * {@code "passage: "} prefix ({@code passage}, as {@code retrieval index} embeds passages). The
 * model is the bundled e5-small-v2-q, or the e5-style model directory named by the session conf
 * {@value #ENCODER_CONF}; it is loaded once on the driver while the query is analysed (a wrong
 * path fails there) and once per executor JVM. Null text: null.
 */
final class EmbedFunction {
  static final String NAME = "parallax_embed";
  /** Session conf: the model directory (any Hadoop URI) that replaces the bundled e5. */
  public static final String ENCODER_CONF = "spark.parallax.encoder";
  static final DataType VECTOR = DataTypes.createArrayType(DataTypes.FloatType, false);

  private EmbedFunction() {}

  static SqlFunction function() {
    return new SqlFunction(NAME, "_FUNC_(text[, kind]) - The e5 embedding of text as "
        + "array<float>, prefixed for kind query (default) or passage; the model is the bundled "
        + "e5-small-v2-q or the directory in " + ENCODER_CONF + ".", args -> {
          FunctionArguments a = new FunctionArguments(NAME, args, 1, 2, "(text[, kind])");
          String prefix = prefix(NAME, a.constant(1, "kind", "query"));
          EncoderAccess access = encoder();
          UDF1<String, float[]> f = new Embed(access, prefix);
          return a.call(functions.udf(f, VECTOR), a.column(0, "string"));
        });
  }

  /** e5's prefix of {@code kind}, or a one-line error naming the function. */
  static String prefix(String function, String kind) {
    return switch (kind) {
      case "query" -> E5Encoder.QUERY;
      case "passage" -> E5Encoder.PASSAGE;
      default -> throw new IllegalArgumentException(function + ": kind must be query or "
          + "passage, got '" + kind + "'");
    };
  }

  /** The session's encoder, loaded once on the driver. */
  static EncoderAccess encoder() {
    SparkSession spark = SparkSession.active();
    String uri = spark.conf().getOption(ENCODER_CONF).getOrElse(() -> null);
    try {
      return EncoderAccess.resolve(uri, 1, 0, null, spark.sessionState().newHadoopConf());
    } catch (RuntimeException e) {
      throw FunctionArguments.failure(NAME, ENCODER_CONF + " '" + uri + "'", e);
    }
  }

  private static final class Embed implements UDF1<String, float[]> {
    private static final long serialVersionUID = 1L;
    private final EncoderAccess access;
    private final String prefix;
    private transient E5Encoder encoder;

    Embed(EncoderAccess access, String prefix) {
      this.access = access;
      this.prefix = prefix;
    }

    @Override
    public float[] call(String text) {
      if (text == null) {
        return null;
      }
      if (encoder == null) {
        encoder = access.open();
      }
      return encoder.encode(List.of(text), prefix, 1)[0];
    }
  }
}
