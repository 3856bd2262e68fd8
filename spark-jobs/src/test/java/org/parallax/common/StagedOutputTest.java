package org.parallax.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedOutputTest {
  @TempDir Path tmp;
  private final Configuration conf = new Configuration();

  @Test
  void nothingIsVisibleUntilCommit() throws Exception {
    Path out = tmp.resolve("out");
    StagedOutput staged = StagedOutput.open(out.toString(), false, conf);
    staged.writeText("a.txt", "new");
    assertFalse(Files.exists(out));
    staged.commit();
    assertEquals("new", Files.readString(out.resolve("a.txt")));
    assertTrue(Files.exists(out.resolve(StagedOutput.SUCCESS)));
    assertEquals(1, count(tmp), "staging directory was renamed, not copied");
  }

  @Test
  void refusesExistingOutputUnlessOverwrite() throws Exception {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("old.txt"), "old");
    JobFailedException e = assertThrows(JobFailedException.class,
        () -> StagedOutput.open(out.toString(), false, conf));
    assertTrue(e.getMessage().contains("--overwrite"));

    StagedOutput staged = StagedOutput.open(out.toString(), true, conf);
    staged.writeText("new.txt", "new");
    assertTrue(Files.exists(out.resolve("old.txt")), "old output stays until the new is complete");
    staged.commit();
    assertFalse(Files.exists(out.resolve("old.txt")));
    assertEquals("new", Files.readString(out.resolve("new.txt")));
    assertEquals(1, count(tmp));
  }

  @Test
  void abortLeavesNoTrace() throws Exception {
    StagedOutput staged = StagedOutput.open(tmp.resolve("out").toString(), false, conf);
    staged.writeText("a.txt", "x");
    staged.abort();
    assertEquals(0, count(tmp));
  }

  private static long count(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }
}
