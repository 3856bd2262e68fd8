package org.parallax.spark;

import org.apache.spark.sql.SparkSessionExtensions;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * The session extension that registers parallax's SQL functions ({@link ParallaxFunctions}) in
 * every session a Spark application builds: {@code
 * --conf spark.sql.extensions=org.parallax.spark.ParallaxExtensions}, with the parallax jar on
 * the application's classpath.
 */
public final class ParallaxExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {
  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    for (SqlFunction f : ParallaxFunctions.all()) {
      extensions.injectFunction(scala.Tuple3.apply(f.identifier(), f.info(), f.scalaBuilder()));
    }
    return BoxedUnit.UNIT;
  }
}
