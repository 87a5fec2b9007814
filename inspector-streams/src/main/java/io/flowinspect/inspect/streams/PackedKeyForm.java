package io.flowinspect.inspect.streams;

import java.util.Arrays;

/**
 * How {@link PackedConnections} stores and finds keys of type {@code K}: their bytes, a hash (the
 * same for a key and for its bytes) and a comparison with stored bytes that needs no encoding, so
 * that a lookup encodes nothing ({@link FlowKeyForm} for connection keys).
 */
interface PackedKeyForm<K> {
  byte[] encode(K key);

  int hash(K key);

  /** The hash of the key whose bytes these are. */
  int hashOfEncoded(byte[] data, int from, int length);

  boolean matches(K key, byte[] data, int from, int length);

  /** Keys that are their own bytes (tests, benchmarks). */
  PackedKeyForm<byte[]> BYTES = new PackedKeyForm<>() {
    @Override
    public byte[] encode(byte[] key) {
      return key;
    }

    @Override
    public int hash(byte[] key) {
      return Arrays.hashCode(key);
    }

    @Override
    public int hashOfEncoded(byte[] data, int from, int length) {
      return Arrays.hashCode(Arrays.copyOfRange(data, from, from + length));
    }

    @Override
    public boolean matches(byte[] key, byte[] data, int from, int length) {
      return Arrays.equals(data, from, from + length, key, 0, key.length);
    }
  };
}
