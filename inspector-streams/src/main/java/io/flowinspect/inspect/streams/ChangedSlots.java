package io.flowinspect.inspect.streams;

import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * The decoded cache's slots that turned changed since the last commit, in that order, so that a
 * commit visits the changed connections only: walking all of a full cache to find them cost a
 * commit more than encoding them did (JFR, exactly-once run, where commits come every 100 ms). A
 * slot written early (pushed out, or written ahead while the thread was idle) or dropped stays
 * listed, clean, and is skipped; a slot that changes again after that is listed again. The list is
 * compacted when clean slots make up most of it, so it stays within about twice the number of
 * changed slots between commits.
 */
final class ChangedSlots {
  private final ArrayList<CacheSlot> listed = new ArrayList<>();
  /** Slots that are changed and not yet written, each listed at least once. */
  private int count;
  /**
   * Where in the list the oldest change not yet written ahead may be: every slot before it was
   * written or dropped since the last commit. Back to 0 whenever the list is compacted or cleared.
   */
  private int writtenAheadUpTo;

  /** Marks a slot changed (and lists it) unless it is already. */
  void mark(CacheSlot s) {
    if (s.dirty) {
      return;
    }
    s.dirty = true;
    count++;
    if (listed.size() >= 2 * count + 1024) {
      writtenAheadUpTo = 0;
      listed.removeIf(c -> !c.dirty); // mostly slots pushed out (and written) since the last commit
    }
    listed.add(s);
  }

  /** Marks a changed slot clean: written, or dropped; its place in the list is skipped. */
  void clean(CacheSlot s) {
    s.dirty = false;
    count--;
  }

  /** Changed slots not yet written. */
  int count() {
    return count;
  }

  /** Entries in the list, written or not. */
  int listed() {
    return listed.size();
  }

  /** The changed slot listed first that writing ahead has not yet passed, or null if none is left. */
  CacheSlot nextToWriteAhead() {
    while (writtenAheadUpTo < listed.size()) {
      CacheSlot s = listed.get(writtenAheadUpTo++);
      if (s.dirty) {
        return s;
      }
    }
    return null;
  }

  /**
   * Hands every listed slot that is still changed to {@code write}, in the order they changed
   * ({@code write} cleans it), then starts over empty: the commit.
   */
  void writeAll(Consumer<CacheSlot> write) {
    for (CacheSlot s : listed) {
      if (s.dirty) {
        write.accept(s);
      }
    }
    clear();
  }

  /** Forgets every change (the store below is the truth again). */
  void clear() {
    listed.clear();
    count = 0;
    writtenAheadUpTo = 0;
  }
}
