package org.parallax.retrieval;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads an HTTP request body of bounded size within a deadline. A declared
 * {@code Content-Length} over the limit is refused before reading; a body (chunked or not) that
 * grows past it is refused as soon as it does. A body that has not arrived by the deadline has
 * its connection closed by a timer, which unblocks the reading thread, so a stalled client holds
 * a server thread for at most the timeout.
 */
final class RequestBody {
  /** The body is larger than allowed. */
  static final class TooLarge extends Exception {
    TooLarge(String message) {
      super(message);
    }
  }

  /** The body did not arrive in time; the connection is closed. */
  static final class TimedOut extends IOException {
    TimedOut(String message) {
      super(message);
    }
  }

  private RequestBody() {}

  static byte[] read(HttpExchange ex, long maxBytes, double timeoutSeconds,
      ScheduledExecutorService timer) throws IOException, TooLarge {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    if (declared != null && parse(declared) > maxBytes) {
      throw new TooLarge("request body of " + declared + " bytes is over the limit of "
          + maxBytes + " bytes (--max-body-bytes)");
    }
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> deadline = timer.schedule(() -> {
      expired.set(true);
      ex.close();
    }, (long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
    byte[] body;
    try {
      InputStream in = ex.getRequestBody();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[64 * 1024];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        out.write(buf, 0, n);
        if (out.size() > maxBytes) {
          throw new TooLarge("request body is over the limit of " + maxBytes
              + " bytes (--max-body-bytes)");
        }
      }
      body = out.toByteArray();
    } catch (IOException e) {
      if (expired.get()) {
        throw new TimedOut("request body not received within " + timeoutSeconds + " s");
      }
      throw e;
    } finally {
      deadline.cancel(false);
    }
    if (expired.get()) {
      throw new TimedOut("request body not received within " + timeoutSeconds + " s");
    }
    return body;
  }

  private static long parse(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
