package io.flowinspect.inspect.engine;

/** Conntrack's direction of a packet within its connection: the opener's way, or back. */
public enum Direction {
  ORIGINAL,
  REPLY;

  public Direction opposite() {
    return this == ORIGINAL ? REPLY : ORIGINAL;
  }

  public int index() {
    return ordinal();
  }

  public String label() {
    return this == ORIGINAL ? "original" : "reply";
  }
}
