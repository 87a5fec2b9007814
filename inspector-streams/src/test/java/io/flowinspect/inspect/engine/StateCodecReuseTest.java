package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.SameState.assertSameState;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decoding into a connection decoded before ({@link StateCodec#decodeConn(byte[], int, int, Conn)})
 * must leave nothing of the old one behind: every field of the connection and of the objects it
 * holds, compared by reflection (so that a field added later without a reset fails here), equals
 * what a fresh decode gives, for every pair of a varied set of stored connections.
 */
class StateCodecReuseTest {
  @Test
  void aConnectionDecodedIntoAnotherHoldsExactlyWhatAFreshDecodeHolds() {
    List<byte[]> stored = new ArrayList<>();
    ConnectionSamples.visit(conn -> stored.add(StateCodec.encode(conn)));
    assertThat(stored).hasSizeGreaterThan(20);

    int compared = 0;
    for (byte[] before : stored) {
      for (byte[] after : stored) {
        Conn reused = StateCodec.decodeConn(before, 0, before.length, null);
        Conn into = StateCodec.decodeConn(after, 0, after.length, reused);
        assertThat(into).isSameAs(reused);
        assertSameState(StateCodec.decodeConn(after), into, "conn");
        compared++;
      }
    }
    assertThat(compared).isEqualTo(stored.size() * stored.size());
  }
}
