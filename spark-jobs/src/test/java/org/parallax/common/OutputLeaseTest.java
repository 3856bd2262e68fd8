package org.parallax.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The output lease within one JVM: a held output is refused naming its holder or waited for; a
 * lease of another host is judged by its heartbeat only (never by the modification time of its
 * staging, which an object store reports as 0), and an expired one is taken over and reported.
 */
class OutputLeaseTest {
  @TempDir Path tmp;

  /** A lease as a run on {@code host} with process 7 wrote it, last alive {@code ageMillis} ago. */
  private static String foreignLease(TestStore store, String out, long ageMillis)
      throws Exception {
    long beat = System.currentTimeMillis() - ageMillis;
    String run = "0badcafe-7@elsewhere";
    byte[] bytes = new LeaseRecord(run, "elsewhere", 7, beat - 60_000, beat).bytes();
    FileSystem fs = store.fs();
    try (OutputStream os = fs.create(new org.apache.hadoop.fs.Path(store.uri("." + out
        + OutputLease.LEASE)), false)) {
      os.write(bytes);
    }
    String staging = "." + out + StagedOutput.STAGING + run;
    fs.mkdirs(new org.apache.hadoop.fs.Path(store.uri(staging + "/part")));
    return staging;
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3sim"})
  void aHeldOutputIsRefusedNamingItsHolderOrWaitedFor(String kind) throws Exception {
    TestStore store = TestStore.of(kind, tmp);
    StagedOutput first = StagedOutput.open(store.uri("out"), false, store.conf());
    OutputBusyException e = assertThrows(OutputBusyException.class,
        () -> StagedOutput.open(store.uri("out"), true, store.conf()));
    StagingOwner me = StagingOwner.current();
    assertTrue(e.getMessage().contains("on host " + me.host() + " (pid " + me.pid() + ") since ")
        && e.getMessage().contains("--wait-for-output"), e.getMessage());

    CompletableFuture<StagedOutput> waiting = CompletableFuture.supplyAsync(
        () -> StagedOutput.open(store.uri("out"), true, 60_000, store.conf()));
    first.writeText("a.txt", "first");
    first.commit();
    StagedOutput second = waiting.get(60, TimeUnit.SECONDS);
    second.writeText("a.txt", "second");
    second.commit();
    assertEquals(Map.of("a.txt", "second", "_SUCCESS", ""), store.files("out"));
    assertEquals(List.of("out"), store.names());
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3sim"})
  void aLiveHeartbeatOfAnotherHostKeepsItsStagingWhateverTheStagingsModificationTime(
      String kind) throws Exception {
    TestStore store = TestStore.of(kind, tmp);
    String staging = foreignLease(store, "out", 1_000);
    if (kind.equals("local")) {
      Files.setLastModifiedTime(tmp.resolve("t").resolve(staging),
          FileTime.fromMillis(System.currentTimeMillis() - TimeUnit.DAYS.toMillis(30)));
    } else {
      assertEquals(0, store.fs().getFileStatus(new org.apache.hadoop.fs.Path(
          store.uri(staging))).getModificationTime(), "an S3 prefix has no time");
    }
    OutputBusyException e = assertThrows(OutputBusyException.class,
        () -> StagedOutput.open(store.uri("out"), true, store.conf()));
    assertTrue(e.getMessage().contains("on host elsewhere (pid 7)"), e.getMessage());
    assertTrue(store.exists(staging + "/part"), "a live run's staging was removed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3sim"})
  void anExpiredLeaseIsTakenOverAndReported(String kind) throws Exception {
    TestStore store = TestStore.of(kind, tmp);
    String staging = foreignLease(store, "out", TimeUnit.MINUTES.toMillis(11));
    StagedOutput taker = StagedOutput.open(store.uri("out"), false, store.conf());
    assertTrue(taker.cleaned().get(0).startsWith("took over the lease of ")
        && taker.cleaned().get(0).contains("host elsewhere (pid 7)")
        && taker.cleaned().get(0).contains("s old, above parallax.lease.expiry 600000 ms"),
        taker.cleaned().toString());
    assertEquals(2, taker.cleaned().size(), "the lease and the staging: " + taker.cleaned());
    assertFalse(store.exists(staging), "the expired run's staging stays");
    taker.writeText("a.txt", "taken");
    taker.commit();
    assertEquals(Map.of("a.txt", "taken", "_SUCCESS", ""), store.files("out"));
    assertEquals(List.of("out"), store.names());
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3sim"})
  void aRunWhoseLeaseWasTakenOverCannotCommit(String kind) throws Exception {
    TestStore store = TestStore.of(kind, tmp);
    StagedOutput slow = StagedOutput.open(store.uri("out"), false, store.conf());
    slow.writeText("a.txt", "slow");
    // What a taker does once the heartbeat expired: the lease now names another run.
    store.fs().delete(new org.apache.hadoop.fs.Path(store.uri(".out" + OutputLease.LEASE)),
        false);
    foreignLease(store, "out", 0);
    JobFailedException e = assertThrows(JobFailedException.class, slow::commit);
    assertTrue(e.getMessage().contains("no longer owns its output")
        && e.getMessage().contains("host elsewhere"), e.getMessage());
    assertFalse(store.exists("out"));
    slow.close();
    assertTrue(store.exists("." + "out" + OutputLease.LEASE), "the new holder's lease stays");
  }
}
