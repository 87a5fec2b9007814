package io.flowinspect.inspect.engine;

/** The few numbers a tracker keeps about itself across restarts. */
public interface TrackerMeta {
  long connectionCount();

  void connectionCount(long value);
}
