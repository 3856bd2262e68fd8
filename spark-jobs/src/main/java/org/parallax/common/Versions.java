package org.parallax.common;

import java.util.LinkedHashMap;
import java.util.Map;

/** The versions a report records, so a result can be traced to the code and stack that made it. */
public final class Versions {
  private Versions() {}

  public static String parallax() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  public static Map<String, String> all() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("parallax", parallax());
    m.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    m.put("scala", scala.util.Properties.versionNumberString());
    m.put("java", System.getProperty("java.version"));
    m.put("lucene", org.apache.lucene.util.Version.LATEST.toString());
    return m;
  }
}
