package io.flowinspect.capture.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file mapped into memory one window at a time: a ByteBuffer addresses at most 2 GiB, captures
 * can be larger. Callers ask for a byte range with {@link #at} and read it from {@link #buffer()}
 * at the index returned. Not thread-safe.
 *
 * <p>A window is unmapped when the garbage collector frees its buffer (the JDK has no public unmap),
 * so a very large file leaves old windows mapped, address space only, until then.
 */
final class MappedFile implements AutoCloseable {
  /** Files up to this size are mapped whole; larger ones this much at a time. */
  static final int DEFAULT_WINDOW = 1 << 30;

  private final Path path;
  private final FileChannel channel;
  private final long size;
  private final int window;
  private ByteOrder order = ByteOrder.BIG_ENDIAN;
  private ByteBuffer buffer;
  private long base;
  private int limit;

  private MappedFile(Path path, FileChannel channel, long size, int window) {
    this.path = path;
    this.channel = channel;
    this.size = size;
    this.window = window;
  }

  /** Maps the start of {@code path}; its size is fixed now, so bytes appended later are not read. */
  static MappedFile open(Path path, int window) throws CaptureException {
    if (window < 1) throw new IllegalArgumentException("window < 1: " + window);
    if (Files.isDirectory(path)) throw new CaptureException("cannot open " + path + ": it is a directory");
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new CaptureException("cannot open " + path + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new CaptureException("cannot open " + path + ": permission denied", e);
    } catch (IOException e) {
      throw new CaptureException("cannot open " + path + ": " + e, e);
    }
    try {
      MappedFile file = new MappedFile(path, channel, channel.size(), window);
      file.map(0, 0);
      return file;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new CaptureException("cannot open " + path + ": " + e, e);
    } catch (RuntimeException | Error e) {
      closeQuietly(channel);
      throw e;
    }
  }

  Path path() {
    return path;
  }

  long size() {
    return size;
  }

  /** The window that the last {@link #at} made current. */
  ByteBuffer buffer() {
    return buffer;
  }

  /**
   * Makes bytes {@code [offset, offset + length)} readable in {@link #buffer()} and returns the
   * index of {@code offset} there. The caller has checked that the range lies within the file.
   */
  int at(long offset, int length) throws CaptureException {
    long relative = offset - base;
    if (relative >= 0 && relative + length <= limit) return (int) relative;
    try {
      map(offset, length);
    } catch (IOException e) {
      throw new CaptureException("cannot read " + path + " at byte offset " + offset + ": " + e, e);
    }
    return 0;
  }

  /** The byte order of the numbers read from now on; pcapng sections each have their own. */
  void order(ByteOrder order) {
    this.order = order;
    buffer.order(order);
  }

  ByteOrder order() {
    return order;
  }

  private void map(long offset, int length) throws IOException {
    int mapped = (int) Math.min(size - offset, Math.max(window, length));
    buffer = channel.map(FileChannel.MapMode.READ_ONLY, offset, mapped).order(order);
    base = offset;
    limit = mapped;
  }

  /** A read-only channel has nothing to flush: failing to close it loses no data. */
  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // see close()
    }
  }
}
