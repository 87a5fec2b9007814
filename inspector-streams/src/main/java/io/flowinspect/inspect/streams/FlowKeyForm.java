package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.StateCodec;

/**
 * Connection keys in {@link PackedConnections}: stored as {@link StateCodec#encode(FlowKey)}, found
 * by {@link FlowKey#hashCode} and a field-by-field comparison with the stored bytes, so that a
 * packet's lookup in packed memory encodes nothing.
 */
final class FlowKeyForm implements PackedKeyForm<FlowKey> {
  static final FlowKeyForm INSTANCE = new FlowKeyForm();

  private FlowKeyForm() {}

  @Override
  public byte[] encode(FlowKey key) {
    return StateCodec.encode(key);
  }

  @Override
  public int hash(FlowKey key) {
    return key.hashCode();
  }

  @Override
  public int hashOfEncoded(byte[] data, int from, int length) {
    return StateCodec.decodeKey(data, from, length).hashCode();
  }

  @Override
  public boolean matches(FlowKey key, byte[] data, int from, int length) {
    return StateCodec.keyEquals(key, data, from, length);
  }
}
