package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.Conn;
import io.flowinspect.inspect.engine.ConnEncoder;
import io.flowinspect.inspect.engine.ConnectionTable;
import io.flowinspect.inspect.engine.FixedConnLayout;
import io.flowinspect.inspect.engine.FlowKey;

/**
 * A connection looked up in packed memory for one packet and written back where it lies, for
 * {@link ConnectionCacheStore}: it stays packed, decoded for the packet into one reused
 * connection ({@link FixedConnLayout#decode}; the engine is done with a connection before it looks
 * up another, {@link ConnectionTable}) and encoded back from one reused array; or, for the
 * segments the engine can judge on the bytes alone, changed where it lies without a decode at all
 * ({@link #update}), which is why packed memory holds connections in that fixed layout rather than
 * the stored form. Not thread-safe: one per task.
 */
final class PackedInPlace {
  /** What {@link #writeBack} did. */
  enum WriteBack {
    /** Not the connection looked up last, or its entry may have moved since: the caller puts it. */
    NOT_MINE,
    /** Written over its entry, changed (written at the next commit). */
    WRITTEN,
    /** Written over its entry as a quiet change (no transition: see {@link Conn#transitionSignature}). */
    WRITTEN_QUIETLY,
    /** Grown out of its block, with no larger block free: the caller takes it into the decoded cache. */
    DID_NOT_FIT,
    /** ({@link #update}) Not in packed memory, or the update declined: nothing written. */
    NOT_TAKEN
  }

  private final PackedConnections<FlowKey> packed;
  private final boolean quietChanges;
  private final ConnEncoder encoder = FixedConnLayout.encoder();
  /** The connection the last lookup decoded, which the next one decodes into again; null once kept elsewhere. */
  private Conn reused;
  private final PackedConnections.ValueReader<Conn> decodeReusing = (data, from, length) ->
      reused = FixedConnLayout.decode(data, from, length, reused);
  /**
   * The key of the last lookup, and where its entry lies: good while packed memory has freed no
   * block since ({@link PackedConnections#frees}).
   */
  private FlowKey key;
  private long address;
  private long frees;
  /** {@link Conn#transitionSignature} of that connection as it was looked up (with quiet changes on). */
  private long signature;
  private long updated;
  private long inPlace;

  PackedInPlace(PackedConnections<FlowKey> packed, boolean quietChanges) {
    this.packed = packed;
    this.quietChanges = quietChanges;
  }

  /** The connection {@code key} whose entry lies at {@code address}, decoded for one packet. */
  Conn lookUp(FlowKey key, long address) {
    this.key = key;
    this.address = address;
    this.frees = packed.frees();
    Conn conn = packed.readValue(address, decodeReusing);
    if (quietChanges) {
      signature = conn.transitionSignature();
    }
    return conn;
  }

  /** Writes {@code conn} back over its entry, if it is the connection of the last {@link #lookUp}. */
  WriteBack writeBack(FlowKey key, Conn conn) {
    if (key != this.key || packed.frees() != frees || conn == null) {
      return WriteBack.NOT_MINE;
    }
    boolean quietly = quietChanges && (packed.flags(address) & PackedConnections.STORED) != 0
        && conn.transitionSignature() == signature;
    int length = encoder.encode(conn);
    byte[] value = encoder.array();
    if (quietly ? packed.replaceQuietly(address, value, length) : packed.replace(address, value, length)) {
      updated++;
      return quietly ? WriteBack.WRITTEN_QUIETLY : WriteBack.WRITTEN;
    }
    forget();
    return WriteBack.DID_NOT_FIT;
  }

  /** The decoded cache keeps {@code conn} from now on: if lookups decode into it, they stop. */
  void kept(Conn conn) {
    if (conn == reused) {
      reused = null;
    }
  }

  /** Forgets the last lookup (memory was dropped, or its connection goes elsewhere). */
  void forget() {
    key = null;
  }

  /**
   * Offers the packed connection {@code key} to {@code update} where it lies, never decoded
   * ({@link ConnectionTable#updateInPlace}): a key is in one tier at most, so a packed entry needs
   * no look at the decoded tier. The change is quiet whenever a put's would be: an in-place update
   * never changes a transition.
   */
  WriteBack update(FlowKey key, ConnectionTable.InPlaceUpdate update) {
    long at = packed.size() == 0 ? -1 : packed.find(key);
    if (at < 0) {
      return WriteBack.NOT_TAKEN;
    }
    int flags = packed.flags(at);
    if ((flags & PackedConnections.ABSENT) != 0) {
      return WriteBack.NOT_TAKEN;
    }
    boolean quietly = quietChanges && (flags & PackedConnections.STORED) != 0;
    if (!packed.updateInPlace(at, update, quietly)) {
      return WriteBack.NOT_TAKEN;
    }
    updated++;
    inPlace++;
    return quietly ? WriteBack.WRITTEN_QUIETLY : WriteBack.WRITTEN;
  }

  /** Packets that changed a packed connection in place without decoding it ({@link #update}). */
  long inPlace() {
    return inPlace;
  }

  /** Connections written back where they lay (for tests and the benchmark). */
  long updated() {
    return updated;
  }
}
