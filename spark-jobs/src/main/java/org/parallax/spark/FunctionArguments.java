package org.parallax.spark;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.expressions.UserDefinedFunction;

/**
 * Checks of a SQL function's arguments while a query is analysed, each failing with one line that
 * names the function and the argument: the argument count, and constant arguments (an index path,
 * a retriever, a prefix kind) evaluated on the driver.
 */
final class FunctionArguments {
  private final String function;
  private final List<Expression> args;

  FunctionArguments(String function, List<Expression> args, int min, int max, String shape) {
    this.function = function;
    this.args = args;
    if (args.size() < min || args.size() > max) {
      throw new IllegalArgumentException(function + " takes " + (min == max ? "" + min
          : min + " or " + max) + " arguments " + shape + ", got " + args.size());
    }
  }

  int size() {
    return args.size();
  }

  /** Argument {@code i} as a column, cast to {@code type} (a SQL type name). */
  Column column(int i, String type) {
    return new Column(args.get(i)).cast(type);
  }

  /** Argument {@code i}, named {@code name}, which must be a non-null constant string. */
  String constant(int i, String name) {
    Expression e = args.get(i);
    if (!e.foldable()) {
      throw new IllegalArgumentException(function + ": " + name + " must be a constant string, "
          + "got the expression " + e.sql());
    }
    Object v = e.eval(null);
    if (v == null) {
      throw new IllegalArgumentException(function + ": " + name + " must not be null");
    }
    return v.toString();
  }

  /** Argument {@code i} when given, else {@code otherwise}. */
  String constant(int i, String name, String otherwise) {
    return i < args.size() ? constant(i, name) : otherwise;
  }

  /** The call of {@code udf}, named after the function, on {@code columns}. */
  Expression call(UserDefinedFunction udf, Column... columns) {
    return udf.withName(function).apply(columns).expr();
  }

  /** A one-line form of {@code e}'s message, prefixed with the function and the argument. */
  static IllegalArgumentException failure(String function, String argument,
      RuntimeException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return new IllegalArgumentException(function + ": " + argument + ": "
        + m.lines().findFirst().orElse(m), e);
  }
}
