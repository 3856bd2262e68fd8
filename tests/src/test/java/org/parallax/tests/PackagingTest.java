package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The cluster jar spark-submit takes, and DJL running offline. */
class PackagingTest {

  @Test
  void clusterJarHoldsOurCodeAndLibrariesButNoSparkHadoopOrScala() throws Exception {
    File jar = new File(System.getProperty("parallax.cluster.jar"));
    assertTrue(jar.isFile(), "cluster jar missing: " + jar);
    List<String> forbidden = new ArrayList<>();
    boolean cli = false;
    boolean lucene = false;
    boolean picocli = false;
    List<String> e5 = new ArrayList<>();
    List<String> otherPlatforms = new ArrayList<>();
    try (JarFile j = new JarFile(jar)) {
      assertEquals("org.parallax.cli.ParallaxCli",
          j.getManifest().getMainAttributes().getValue("Main-Class"));
      for (var e = j.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        cli |= name.equals("org/parallax/cli/ParallaxCli.class");
        lucene |= name.equals("org/apache/lucene/index/IndexWriter.class");
        picocli |= name.equals("picocli/CommandLine.class");
        if (name.equals("e5-small-v2-q.onnx") || name.equals("e5-small-v2-q-tokenizer.json")
            || name.equals("ai/onnxruntime/native/linux-x64/libonnxruntime.so")
            || name.equals("native/lib/linux-x86_64/cpu/libtokenizers.so")) {
          e5.add(name);
        }
        if ((name.startsWith("ai/onnxruntime/native/") || name.startsWith("native/lib/"))
            && (name.endsWith(".so") || name.endsWith(".dylib") || name.endsWith(".dll"))
            && !name.contains("linux-x64") && !name.contains("linux-x86_64")) {
          otherPlatforms.add(name);
        }
        if (name.startsWith("org/apache/spark/") || name.startsWith("org/apache/hadoop/")
            || name.startsWith("scala/") || name.startsWith("com/fasterxml/jackson/")
            || name.startsWith("org/slf4j/") || name.startsWith("ai/djl/pytorch/native")
            || name.endsWith("libtorch.so")) {
          forbidden.add(name);
        }
      }
    }
    assertTrue(cli && lucene && picocli, "cli " + cli + " lucene " + lucene + " picocli " + picocli);
    assertEquals(List.of(), forbidden.subList(0, Math.min(10, forbidden.size())));
    assertEquals(4, e5.size(), "the bundled e5 model, its tokenizer and their Linux natives: " + e5);
    assertEquals(List.of(), otherPlatforms, "ONNX Runtime and tokenizer natives: linux-x86_64 only");
  }

  @Test
  void djlRunsPyTorchOfflineFromTheClasspath() {
    assertEquals("true", System.getProperty("ai.djl.offline"));
    Engine engine = Engine.getEngine("PyTorch");
    assertEquals("2.7.1", engine.getVersion());
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
      NDArray b = a.matMul(a.transpose());
      assertEquals(25f, b.getFloat(1, 1));
      assertEquals(11f, b.getFloat(0, 1));
    }
  }
}
