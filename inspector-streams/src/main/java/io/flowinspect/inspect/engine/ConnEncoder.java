package io.flowinspect.inspect.engine;

/**
 * Encodes connections into one reused array, for callers that copy the bytes out at once (packed
 * memory writes a connection back where it lay, per packet, and need not allocate for it): in the
 * stored form ({@link StateCodec#encoder()}) or in packed memory's ({@link FixedConnLayout#encoder()}).
 * Not thread-safe.
 */
public final class ConnEncoder {
  /** Writes one connection in some form. */
  interface Form {
    void write(Bytes out, Conn c);
  }

  private final Form form;
  private final Bytes b;

  ConnEncoder(Form form, int initialBytes) {
    this.form = form;
    this.b = new Bytes(initialBytes);
  }

  /** Encodes {@code c} in this encoder's form; returns its length, the bytes being the start of {@link #array}. */
  public int encode(Conn c) {
    b.rewind();
    form.write(b, c);
    return b.position();
  }

  /** The array the last {@link #encode} wrote to (valid until the next one). */
  public byte[] array() {
    return b.array();
  }
}
