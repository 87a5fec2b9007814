package io.flowinspect.inspect.streams;

import static io.flowinspect.inspect.streams.PackedConnections.ABSENT;
import static io.flowinspect.inspect.streams.PackedConnections.CHANGED;
import static io.flowinspect.inspect.streams.PackedConnections.QUIET;
import static io.flowinspect.inspect.streams.PackedConnections.STORED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedConnectionsTest {
  /** What the store below received, key to value (null: a removal), last write wins. */
  private final Map<String, String> below = new LinkedHashMap<>();
  private final List<String> writes = new ArrayList<>();
  private final PackedConnections.Writer writer = (k, v) -> {
    String key = new String(k, StandardCharsets.UTF_8);
    String value = v == null ? null : new String(v, StandardCharsets.UTF_8);
    below.put(key, value);
    writes.add(key + "=" + value);
  };

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anEntryIsTakenBackWithItsValueAndFlagsAndThenIsGone() {
    PackedConnections<byte[]> t = PackedConnections.ofBytes(1 << 20);
    assertThat(t.add(b("k1"), b("value one"), CHANGED | STORED, writer)).isTrue();

    PackedConnections.Taken taken = t.take(b("k1"));

    assertThat(new String(taken.value(), StandardCharsets.UTF_8)).isEqualTo("value one");
    assertThat(taken.changed()).isTrue();
    assertThat(taken.stored()).isTrue();
    assertThat(t.take(b("k1"))).isNull();
    assertThat(t.size()).isZero();
    assertThat(writes).isEmpty();
  }

  @Test
  void readingABatchsEntriesAheadChangesNothing() {
    PackedConnections<byte[]> t = PackedConnections.ofBytes(1 << 20);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 700; i++) { // enough for many probe runs longer than one slot
      keys.add(b("key-" + i));
      t.add(keys.get(i), b("value-" + i), i % 3 == 0 ? CHANGED | STORED : STORED, writer);
    }
    Map<String, Long> before = new HashMap<>();
    for (byte[] k : keys) {
      before.put(new String(k, StandardCharsets.UTF_8), t.find(k));
    }
    byte[][] batch = new byte[800][];
    for (int i = 0; i < batch.length; i++) {
      batch[i] = b("key-" + i); // the last hundred are absent: their probe runs end at an empty slot
    }

    t.touch(batch, batch.length, new int[batch.length]);

    for (int i = 0; i < keys.size(); i++) {
      long address = t.find(keys.get(i));
      assertThat(address).isEqualTo(before.get("key-" + i));
      assertThat(t.flags(address)).isEqualTo(i % 3 == 0 ? CHANGED | STORED : STORED);
      assertThat(new String(t.value(address), StandardCharsets.UTF_8)).isEqualTo("value-" + i);
    }
    assertThat(t.find(b("key-750"))).isEqualTo(-1);
    assertThat(t.size()).isEqualTo(700);
    assertThat(writes).isEmpty();
  }

  @Test
  void anEntryReplacedInPlaceIsChangedWrittenOnceAtTheCommitAndStaysWhereItWas() {
    PackedConnections<byte[]> t = PackedConnections.ofBytes(1 << 20);
    t.add(b("k1"), b("first value"), STORED, writer);
    long address = t.find(b("k1"));
    long frees = t.frees();

    assertThat(t.flags(address)).isEqualTo(STORED);
    assertThat(t.replace(address, b("second"))).isTrue();
    assertThat(t.replace(address, b("third value"))).isTrue(); // changed twice, listed once

    assertThat(t.find(b("k1"))).isEqualTo(address);
    assertThat(t.frees()).isEqualTo(frees);
    assertThat(t.flags(address)).isEqualTo(CHANGED | STORED);
    assertThat(t.changed()).isEqualTo(1);
    t.drainChanged(writer);
    assertThat(writes).containsExactly("k1=third value");
    assertThat(new String(t.value(address), StandardCharsets.UTF_8)).isEqualTo("third value");
    PackedConnections.ValueReader<String> asText = (data, from, length) -> new String(data, from, length, StandardCharsets.UTF_8);
    assertThat(t.readValue(address, asText)).isEqualTo("third value");
    assertThat(t.flags(address)).isEqualTo(STORED);
  }

  @Test
  void aQuietReplacementWaitsForDrainQuietWhileAChangedOneIsWrittenAtTheCommit() {
    PackedConnections<byte[]> t = PackedConnections.ofBytes(1 << 20);
    t.add(b("changed"), b("v1"), STORED, writer);
    t.add(b("quiet"), b("v2"), STORED, writer);
    long changedAt = t.find(b("changed"));
    long quietAt = t.find(b("quiet"));
    t.replace(changedAt, b("v3"));
    t.replaceQuietly(quietAt, b("v4 and more"), 2); // only the first two bytes

    assertThat(t.flags(changedAt)).isEqualTo(CHANGED | STORED);
    assertThat(t.flags(quietAt)).isEqualTo(QUIET | STORED);
    t.drainChanged(writer);
    assertThat(writes).containsExactly("changed=v3");
    assertThat(t.drainQuiet(writer)).isEqualTo(1);
    assertThat(writes).containsExactly("changed=v3", "quiet=v4");
    assertThat(t.flags(quietAt)).isEqualTo(STORED);
  }

  @Test
  void aValueThatOutgrowsItsBlockMovesToALargerOneAndIsWrittenOnceAtTheCommit() {
    PackedConnections<byte[]> t = PackedConnections.ofBytes(1 << 20);
    t.add(b("k1"), b("v"), STORED, writer); // 5 + 2 + 1 bytes: a 16-byte block
    long address = t.find(b("k1"));
    t.replace(address, b("w")); // changed and listed where it was

    assertThat(t.replace(address, b("a value too long for sixteen bytes"))).isTrue();

    long moved = t.find(b("k1"));
    assertThat(moved).isNotEqualTo(address);
    assertThat(t.frees()).as("its old block was freed: addresses found before are no longer good").isEqualTo(1);
    assertThat(t.flags(moved)).isEqualTo(CHANGED | STORED);
    assertThat(t.changed()).isEqualTo(1);
    t.drainChanged(writer);
    assertThat(writes).containsExactly("k1=a value too long for sixteen bytes");
    assertThat(t.changed()).isZero();
  }

  @Test
  void aValueThatOutgrowsItsBlockWithNoFreeBlockLeftIsNotReplacedAndTheEntryIsLeftAsItWas() {
    // An index of the least size and one 4 KiB chunk: 256 entries of 16 bytes fill it.
    PackedConnections<byte[]> t = PackedConnections.ofBytes(PackedConnections.MIN_INDEX_BYTES + 4096);
    for (int i = 0; i < 256; i++) {
      assertThat(t.add(b(String.format("k%03d", i)), b("v"), STORED, writer)).isTrue();
    }
    long address = t.find(b("k000"));

    assertThat(t.replace(address, b("a value too long for sixteen bytes"))).isFalse();

    assertThat(t.size()).isEqualTo(256);
    assertThat(t.flags(address)).isEqualTo(STORED);
    assertThat(t.changed()).isZero();
    assertThat(t.frees()).isZero();
    assertThat(new String(t.take(b("k000")).value(), StandardCharsets.UTF_8)).isEqualTo("v");
    assertThat(writes).isEmpty();
  }

  @Test
  void aCommitWritesTheChangedEntriesOnceAndKeepsThemAsStored() {
    PackedConnections<byte[]> t = PackedConnections.ofBytes(1 << 20);
    t.add(b("changed"), b("v1"), CHANGED, writer);
    t.add(b("clean"), b("v2"), STORED, writer);

    t.drainChanged(writer);
    t.drainChanged(writer);

    assertThat(writes).containsExactly("changed=v1");
    PackedConnections.Taken taken = t.take(b("changed"));
    assertThat(taken.changed()).isFalse();
    assertThat(taken.stored()).isTrue();
  }

  @Test
  void aRemovalWaitingForTheStoreBelowIsWrittenAsOneAndThenForgotten() {
    PackedConnections<byte[]> t = PackedConnections.ofBytes(1 << 20);
    t.add(b("gone"), null, CHANGED | STORED, writer);
    assertThat(t.take(b("gone")).value()).isNull(); // the table answers "absent" without asking below
    t.add(b("gone"), null, CHANGED | STORED, writer);

    t.drainChanged(writer);

    assertThat(writes).containsExactly("gone=null");
    assertThat(t.size()).isZero();
  }

  @Test
  void whenTheBudgetIsFullTheChangedEntriesPushedOutAreWrittenAndTheCleanOnesDropped() {
    PackedConnections<byte[]> t = PackedConnections.ofBytes(64 * 1024);
    int n = 5_000;
    for (int i = 0; i < n; i++) {
      assertThat(t.add(b("key-" + i), b("value-" + i), i % 2 == 0 ? CHANGED : STORED, writer)).isTrue();
    }

    assertThat(t.bytes()).isLessThanOrEqualTo(64 * 1024);
    assertThat(t.size()).isLessThan(n);
    assertThat(t.storedEntryLeft()).isTrue();
    for (String w : writes) {
      int i = Integer.parseInt(w.substring("key-".length(), w.indexOf('=')));
      assertThat(i % 2).as(w).isZero(); // only changed entries reach the store below
    }
    int kept = 0;
    for (int i = 0; i < n; i++) {
      PackedConnections.Taken taken = t.take(b("key-" + i));
      if (taken != null) {
        kept++;
        assertThat(new String(taken.value(), StandardCharsets.UTF_8)).isEqualTo("value-" + i);
      } else if (i % 2 == 0) {
        assertThat(below).containsEntry("key-" + i, "value-" + i);
      }
    }
    assertThat(kept).as("entries still packed").isPositive();
    assertThat(t.size()).as("all taken").isZero();
  }

  /**
   * Connections grow (their history does), so entries come to need blocks of a larger class than
   * the free ones: the table pushes a bounded number out per entry, never exceeds its budget, and
   * starts over rather than hold memory that no entry can use.
   */
  @Test
  void whenEntriesOutgrowTheirSizeClassTheTableStaysWithinBudgetAndFillsAgain() {
    long budget = 1 << 20;
    PackedConnections<byte[]> t = PackedConnections.ofBytes(budget);
    for (int i = 0; i < 30_000; i++) {
      t.add(b("key-" + i), new byte[20], CHANGED, writer); // 48-byte blocks
    }
    assertThat(t.size() * 48L).isGreaterThan(budget / 2);

    for (int i = 30_000; i < 60_000; i++) {
      int before = writes.size();
      long startedOver = t.startedOver();
      boolean packed = t.add(b("key-" + i), new byte[40], CHANGED, writer); // 64-byte blocks
      if (t.startedOver() == startedOver) {
        assertThat(writes.size() - before).as("pushed out for entry %d", i)
            .isLessThanOrEqualTo(PackedConnections.MAX_EVICTIONS_PER_ADD + 1);
      }
      if (!packed) {
        writer.write(b("key-" + i), new byte[40]);
      }
      assertThat(t.bytes()).isLessThanOrEqualTo(budget);
    }

    assertThat(t.startedOver()).isPositive();
    assertThat(t.size() * 64L).as("live bytes after the growth").isGreaterThan(budget / 2);
    for (int i = 0; i < 60_000; i++) {
      String key = "key-" + i;
      assertThat(t.take(b(key)) != null || below.containsKey(key)).as(key).isTrue(); // nothing lost
    }
  }

  @Test
  void anEntryTooLargeToPackIsRefusedAndNothingChanges() {
    PackedConnections<byte[]> t = PackedConnections.ofBytes(1 << 20);

    assertThat(t.add(b("big"), new byte[PackedConnections.MAX_ENTRY], CHANGED, writer)).isFalse();
    assertThat(t.size()).isZero();
    assertThat(t.changed()).isZero();
  }

  @Test
  void aZeroBudgetPacksNothingAndHoldsNothing() {
    PackedConnections<byte[]> t = PackedConnections.ofBytes(0);

    assertThat(t.add(b("k"), b("v"), CHANGED, writer)).isFalse();
    assertThat(t.take(b("k"))).isNull();
    assertThat(t.bytes()).isZero();
  }

  /**
   * Random adds, takes, replacements in place, commits and push-outs against a plain map of what memory and the store
   * below should hold: every key is found where it should be, with its last value, whatever the
   * reuse of blocks, the growth of the index and the backward shifts of its deletions.
   */
  @Test
  void agreesWithASimpleModelThroughRandomChurn() {
    for (long budget : new long[] {16 * 1024, 256 * 1024, 8L << 20}) {
      Random random = new Random(budget);
      PackedConnections<byte[]> t = PackedConnections.ofBytes(budget);
      below.clear();
      Map<String, String> memory = new HashMap<>(); // key -> value ("" for absent), what the table should hold
      Map<String, Boolean> changed = new HashMap<>();
      int refused = 0;
      for (int step = 0; step < 200_000; step++) {
        String key = "flow-" + random.nextInt(3_000);
        int op = random.nextInt(10);
        if (op < 5) {
          PackedConnections.Taken taken = t.take(b(key));
          if (taken == null) {
            if (memory.containsKey(key)) {
              // pushed out: every entry here was added changed, so the store below has its last value
              String expected = memory.get(key).isEmpty() ? null : memory.get(key);
              assertThat(below.get(key)).as("%s pushed out at step %d", key, step).isEqualTo(expected);
              memory.remove(key);
              changed.remove(key);
            }
          } else {
            String value = taken.value() == null ? "" : new String(taken.value(), StandardCharsets.UTF_8);
            assertThat(memory).as("step %d", step).containsEntry(key, value);
            assertThat(taken.changed()).isEqualTo(changed.get(key));
            memory.remove(key);
            changed.remove(key);
          }
        } else if (op == 8) {
          long address = t.find(b(key));
          if (address < 0) {
            if (memory.containsKey(key)) { // pushed out, as with a take above
              String expected = memory.get(key).isEmpty() ? null : memory.get(key);
              assertThat(below.get(key)).as("%s pushed out at step %d", key, step).isEqualTo(expected);
              memory.remove(key);
              changed.remove(key);
            }
          } else if (!memory.get(key).isEmpty()) {
            assertThat(new String(t.value(address), StandardCharsets.UTF_8)).isEqualTo(memory.get(key));
            String value = "r" + step + "-" + "y".repeat(random.nextInt(200));
            if (t.replace(address, b(value))) {
              memory.put(key, value);
              changed.put(key, true);
            }
          }
        } else if (op < 8) {
          t.take(b(key)); // an add is for a key the table does not hold
          memory.remove(key);
          changed.remove(key);
          boolean absent = random.nextInt(8) == 0;
          String value = absent ? "" : "v" + step + "-" + "x".repeat(random.nextInt(200));
          if (t.add(b(key), absent ? null : b(value), CHANGED | STORED, writer)) {
            memory.put(key, value);
            changed.put(key, true);
          } else {
            writer.write(b(key), absent ? null : b(value)); // not packed: the caller writes it below
            refused++;
          }
        } else {
          t.drainChanged(writer);
          for (Map.Entry<String, Boolean> e : changed.entrySet()) {
            String v = memory.get(e.getKey());
            if (e.getValue()) {
              assertThat(below.get(e.getKey())).as(e.getKey()).isEqualTo(v.isEmpty() ? null : v);
            }
          }
          memory.values().removeIf(String::isEmpty); // written removals are forgotten
          changed.keySet().retainAll(memory.keySet());
          changed.replaceAll((k, v) -> false);
        }
        assertThat(t.bytes()).isLessThanOrEqualTo(budget);
      }
      assertThat(t.changed()).isEqualTo((int) changed.values().stream().filter(c -> c).count());
      assertThat(refused).as("entries not packed, budget %d", budget).isLessThan(200_000 / 100);
    }
  }
}
