package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.output.VerdictEvent;
import io.flowinspect.schemas.AvroSerde;
import io.flowinspect.schemas.ByteSink;
import io.flowinspect.schemas.Decision;
import io.flowinspect.schemas.FlowDirection;
import io.flowinspect.schemas.Verdict;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes the inspector's output keys and verdicts straight from the engine's objects: the
 * bytes the topics' {@code AvroSerde} writes for the generated classes (Avro single-object
 * encoding, fields in schema order), without building those classes first. A verdict goes out for
 * every connection and a key with every output record; mapping them to Avro objects and encoding
 * those through Avro's datum writer was about a tenth of the stream thread on the default
 * benchmark (docs/DESIGN.md). {@code OutputWireTest} holds both to the serde's bytes. If
 * FlowKey.avsc, Endpoint.avsc or Verdict.avsc changes, this class changes with it.
 *
 * <p>The serializers are shared by every task of an instance (a topology's sink holds one), so
 * they keep no state: each call fills a fresh array.
 */
final class OutputWire {
  private static final byte[] KEY_HEADER = AvroSerde.of(io.flowinspect.schemas.FlowKey.class).header();
  private static final byte[] VERDICT_HEADER = AvroSerde.of(Verdict.class).header();
  /** Schema symbol index of each engine enum constant, matched by name. */
  private static final int[] DECISION = symbols(io.flowinspect.inspect.engine.Decision.values(), Decision.class);
  private static final int[] DIRECTION =
      symbols(io.flowinspect.inspect.policy.FlowDirection.values(), FlowDirection.class);

  private OutputWire() {}

  /** The key of every output topic: the connection's FlowKey record. */
  static Serializer<FlowKey> keySerializer() {
    return serializer(KEY_HEADER, 48, OutputWire::key);
  }

  /** The verdicts topic's value; null (a tombstone) stays null. */
  static Serializer<VerdictEvent> verdictSerializer() {
    return serializer(VERDICT_HEADER, 96, OutputWire::verdict);
  }

  /** Header, then the fields {@code body} writes, in an array of their own; null stays null. */
  private static <T> Serializer<T> serializer(byte[] header, int bodyBytes, BiConsumer<ByteSink, T> body) {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      ByteSink out = new ByteSink(header.length + bodyBytes);
      out.writeRaw(header, 0, header.length);
      body.accept(out, value);
      return out.toArray();
    };
  }

  /** FlowKey fields: zone, protocol, lowAddress, lowPort, highAddress, highPort. */
  static void key(ByteSink out, FlowKey k) {
    out.writeInt(k.zone());
    out.writeInt(k.protocol());
    address(out, k.ipv6(), k.lowHi(), k.lowLo());
    out.writeInt(k.lowPort());
    address(out, k.ipv6(), k.highHi(), k.highLo());
    out.writeInt(k.highPort());
  }

  /**
   * Verdict fields: timeNanos, decision, ruleId, ruleSetVersion, protocol, originator, responder,
   * direction, state, related, reason; an Endpoint is address, port.
   */
  static void verdict(ByteSink out, VerdictEvent v) {
    out.writeLong(v.timeNanos());
    out.writeInt(DECISION[v.decision().ordinal()]);
    out.writeString(v.ruleId());
    out.writeString(v.ruleSetVersion());
    out.writeInt(v.protocol());
    address(out, v.originator());
    out.writeInt(v.originatorPort());
    address(out, v.responder());
    out.writeInt(v.responderPort());
    out.writeInt(DIRECTION[v.direction().ordinal()]);
    out.writeString(v.state());
    out.writeBoolean(v.related());
    out.writeString(v.reason());
  }

  private static void address(ByteSink out, IpAddress a) {
    address(out, a.ipv6(), a.hi(), a.lo());
  }

  /** Bytes of 4 or 16, network order; IPv4 sits in the low 32 bits of {@code lo}. */
  private static void address(ByteSink out, boolean ipv6, long hi, long lo) {
    if (!ipv6) {
      out.writeLong(4);
      out.writeRawInt((int) lo);
      return;
    }
    out.writeLong(16);
    out.writeRawInt((int) (hi >>> 32));
    out.writeRawInt((int) hi);
    out.writeRawInt((int) (lo >>> 32));
    out.writeRawInt((int) lo);
  }

  private static <E extends Enum<E>> int[] symbols(Enum<?>[] engine, Class<E> schema) {
    int[] index = new int[engine.length];
    for (Enum<?> e : engine) {
      index[e.ordinal()] = Enum.valueOf(schema, e.name()).ordinal();
    }
    return index;
  }
}
