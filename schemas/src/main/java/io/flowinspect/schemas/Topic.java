package io.flowinspect.schemas;

import org.apache.kafka.common.serialization.Serde;

/** A topic's name together with the serdes of its keys and values, so that they never drift apart. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
  public Topic {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("topic name is blank");
    }
  }
}
