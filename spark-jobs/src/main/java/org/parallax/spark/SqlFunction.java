package org.parallax.spark;

import java.io.Serializable;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.runtime.AbstractFunction1;

/**
 * One SQL function of parallax: its name, its usage line and the builder that turns the call's
 * argument expressions into the expression Spark evaluates (checking constant arguments, such as
 * an index path, while the query is analysed on the driver).
 */
final class SqlFunction {
  private final String name;
  private final String usage;
  private final Function<List<Expression>, Expression> builder;

  SqlFunction(String name, String usage, Function<List<Expression>, Expression> builder) {
    this.name = name;
    this.usage = usage;
    this.builder = builder;
  }

  String name() {
    return name;
  }

  FunctionIdentifier identifier() {
    return new FunctionIdentifier(name);
  }

  /** What {@code DESCRIBE FUNCTION} shows. */
  ExpressionInfo info() {
    return new ExpressionInfo(ParallaxFunctions.class.getName(), null, name, usage, "", "", "",
        "", "", "", "java_udf");
  }

  /** The builder in the form Spark's function registry takes. */
  scala.Function1<Seq<Expression>, Expression> scalaBuilder() {
    return new Builder(builder);
  }

  private static final class Builder extends AbstractFunction1<Seq<Expression>, Expression>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final transient Function<List<Expression>, Expression> builder;

    Builder(Function<List<Expression>, Expression> builder) {
      this.builder = builder;
    }

    @Override
    public Expression apply(Seq<Expression> children) {
      return builder.apply(JavaConverters.seqAsJavaList(children));
    }
  }
}
