package org.parallax.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputGuardTest {
  @TempDir Path tmp;
  private final Configuration conf = new Configuration();

  private void refused(String out, String in, String how) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OutputGuard.check(out, List.of(in), conf));
    assertTrue(e.getMessage().contains(out) && e.getMessage().contains(in)
        && e.getMessage().contains(how), e.getMessage());
  }

  @Test
  void anOutputThatIsContainsOrLiesInsideAnInputIsRefused() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("i"));
    refused(in.toString(), in.toString(), " is the input");
    refused(in + "/", in.toString(), " is the input");
    refused("file:" + in, in.toString(), " is the input");
    refused(in.resolve("graph").toString(), in.toString(), "lies inside");
    refused(tmp.toString(), in.toString(), "contains");
    refused(tmp.resolve("i/../i/x").toString(), in.toString(), "lies inside");
    refused(in.resolve("sub").toString(), in + "/*.csv", "lies inside");
  }

  @Test
  void linksAreResolved() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("data/i"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("data"));
    refused(link.resolve("i").toString(), in.toString(), " is the input");
    refused(link.resolve("i/out").toString(), in.toString(), "lies inside");
  }

  @Test
  void siblingsWithACommonPrefixAreApart() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("events"));
    assertDoesNotThrow(() -> OutputGuard.check(tmp.resolve("events2").toString(),
        List.of(in.toString()), conf));
    assertDoesNotThrow(() -> OutputGuard.check(tmp.resolve("graph").toString(),
        java.util.Arrays.asList(in.toString(), null), conf));
  }
}
