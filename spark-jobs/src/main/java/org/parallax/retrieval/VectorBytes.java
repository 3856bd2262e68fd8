package org.parallax.retrieval;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** An embedding as little-endian float32 bytes, the way it travels through a shuffle. */
final class VectorBytes {
  private VectorBytes() {}

  static byte[] of(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  static float[] floats(byte[] bytes) {
    float[] v = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }
}
