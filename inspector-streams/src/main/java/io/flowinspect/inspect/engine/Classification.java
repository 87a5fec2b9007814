package io.flowinspect.inspect.engine;

/**
 * What the engine concluded about one packet.
 *
 * @param state the conntrack classification
 * @param direction the packet's direction within its connection, null when it belongs to none
 * @param reason why a packet is invalid or untracked, else null
 */
public record Classification(CtState state, Direction direction, String reason) {
  // The common outcomes are shared instances: classifying a packet allocates nothing.
  public static final Classification NEW_ORIGINAL = new Classification(CtState.NEW, Direction.ORIGINAL, null);
  public static final Classification ESTABLISHED_ORIGINAL =
      new Classification(CtState.ESTABLISHED, Direction.ORIGINAL, null);
  public static final Classification ESTABLISHED_REPLY = new Classification(CtState.ESTABLISHED, Direction.REPLY, null);
  public static final Classification RELATED_ORIGINAL = new Classification(CtState.RELATED, Direction.ORIGINAL, null);
  public static final Classification RELATED_REPLY = new Classification(CtState.RELATED, Direction.REPLY, null);

  public static Classification invalid(String reason) {
    return new Classification(CtState.INVALID, null, reason);
  }

  public static Classification untracked(String reason) {
    return new Classification(CtState.UNTRACKED, null, reason);
  }

  public static Classification related(Direction direction) {
    return direction == Direction.ORIGINAL ? RELATED_ORIGINAL : RELATED_REPLY;
  }

  public boolean invalid() {
    return state == CtState.INVALID;
  }
}
