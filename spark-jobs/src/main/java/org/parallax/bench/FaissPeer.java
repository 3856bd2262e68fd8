package org.parallax.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.parallax.common.JobReport;

/**
 * FAISS {@code IndexFlatIP} as a separate process on the same vectors, the peer of the dense
 * search benchmark: {@code bench/peers/faiss_flat_ip.py} run by the Python named in
 * {@value #PYTHON} (default {@code python3}; it needs {@code faiss-cpu} and {@code numpy}).
 * When that Python cannot import FAISS the peer is reported as unavailable, with the reason.
 */
final class FaissPeer {
  static final String PYTHON = "PARALLAX_BENCH_PYTHON";
  private final Path work;
  private final Path script;

  FaissPeer(Path work, Path script) {
    this.work = work;
    this.script = script;
  }

  /**
   * FAISS's best wall-clock and best process CPU seconds over all {@code queries} with
   * {@code threads}, and its top-k rows.
   */
  record Result(double seconds, double cpuSeconds, List<List<Integer>> rows, String version) {}

  /** Runs the peer, or returns null with the reason in {@code why[0]}. */
  Result run(float[][] vectors, float[][] queries, int k, int threads, String[] why)
      throws IOException, InterruptedException {
    if (!Files.exists(script)) {
      why[0] = "script " + script + " not found";
      return null;
    }
    Path xb = write(work.resolve("faiss-vectors.f32"), vectors);
    Path xq = write(work.resolve("faiss-queries.f32"), queries);
    Path ids = work.resolve("faiss-ids-" + threads + ".txt");
    String python = System.getenv().getOrDefault(PYTHON, "python3");
    Process p = new ProcessBuilder(python, script.toString(), xb.toString(), xq.toString(),
        Integer.toString(vectors[0].length), Integer.toString(k), Integer.toString(threads),
        ids.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      why[0] = python + " " + script.getFileName() + " failed (set " + PYTHON + " to a Python "
          + "with faiss-cpu and numpy): " + out.strip().lines().reduce((a, b) -> b).orElse("");
      return null;
    }
    JsonNode json = JobReport.json().readTree(out.strip().lines().reduce((a, b) -> b)
        .orElseThrow());
    List<List<Integer>> rows = new ArrayList<>();
    for (String line : Files.readAllLines(ids)) {
      List<Integer> r = new ArrayList<>();
      for (String s : line.trim().split(" +")) {
        r.add(Integer.parseInt(s));
      }
      rows.add(r);
    }
    return new Result(json.get("seconds").asDouble(), json.get("cpu_seconds").asDouble(), rows,
        json.get("faiss").asText());
  }

  private static Path write(Path file, float[][] rows) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(rows[0].length * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file),
        1 << 16)) {
      for (float[] r : rows) {
        b.clear();
        b.asFloatBuffer().put(r);
        out.write(b.array());
      }
    }
    return file;
  }
}
