package org.parallax.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;

/**
 * The configuration for file system work before a Spark session carries the Spark settings, and
 * embedded runs ({@code conf/local.conf}) open {@code file://} as {@link NioLocalFileSystem}.
 */
class HadoopConfTest {
  @Test
  void sparkHadoopSettingsReachTheConfigurationAndTheLocalFileSystem() throws Exception {
    String probe = "spark.hadoop.parallax.test.probe";
    String impl = "spark.hadoop.fs.file.impl";
    String before = System.getProperty(impl);
    assertNull(new Configuration().get("parallax.test.probe"));
    System.setProperty(probe, "from --conf");
    System.setProperty(impl, NioLocalFileSystem.class.getName());
    try {
      Configuration conf = HadoopConf.fromSparkSettings();
      assertEquals("from --conf", conf.get("parallax.test.probe"));
      try (FileSystem fs = FileSystem.newInstance(java.net.URI.create("file:///"), conf)) {
        assertEquals(NioLocalFileSystem.class, fs.getClass());
      }
    } finally {
      System.clearProperty(probe);
      if (before == null) {
        System.clearProperty(impl);
      } else {
        System.setProperty(impl, before);
      }
    }
    Path local = Path.of(System.getProperty("parallax.root", ".."), "conf", "local.conf");
    assertEquals(1, Files.readAllLines(local).stream().filter(l -> l.matches(
        "spark\\.hadoop\\.fs\\.file\\.impl\\s+" + NioLocalFileSystem.class.getName())).count());
  }
}
