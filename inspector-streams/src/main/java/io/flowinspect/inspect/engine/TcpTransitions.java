package io.flowinspect.inspect.engine;

/**
 * The TCP state table of Linux conntrack (net/netfilter/nf_conntrack_proto_tcp.c, as in kernel
 * 6.x): for a segment kind arriving in a direction, the next state of the connection. Two entries
 * are not states: {@link #INVALID} (the segment cannot belong here) and {@link #IGNORE} (it may be
 * valid while our view is out of sync; let it pass without changing state).
 */
final class TcpTransitions {
  static final int INVALID = 10;
  static final int IGNORE = 11;

  private static final int NO = 0;
  private static final int SS = 1;
  private static final int SR = 2;
  private static final int ES = 3;
  private static final int FW = 4;
  private static final int CW = 5;
  private static final int LA = 6;
  private static final int TW = 7;
  private static final int CL = 8;
  private static final int S2 = 9;
  private static final int IV = INVALID;
  private static final int IG = IGNORE;

  // [direction][segment kind][current state]; columns: NO SS SR ES FW CW LA TW CL S2
  private static final int[][][] NEXT = {
      { // ORIGINAL
          /* syn    */ {SS, SS, IG, IG, IG, IG, IG, SS, SS, S2},
          /* synack */ {IV, IV, SR, IV, IV, IV, IV, IV, IV, SR},
          /* fin    */ {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
          /* ack    */ {ES, IV, ES, ES, CW, CW, TW, TW, CL, IV},
          /* rst    */ {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
          /* none   */ {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV},
      },
      { // REPLY
          /* syn    */ {IV, S2, IV, IV, IV, IV, IV, SS, IV, S2},
          /* synack */ {IV, SR, IG, IG, IG, IG, IG, IG, IG, SR},
          /* fin    */ {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
          /* ack    */ {IV, IG, SR, ES, CW, CW, TW, TW, CL, IG},
          /* rst    */ {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
          /* none   */ {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV},
      },
  };

  private TcpTransitions() {}

  /** The next state's ordinal, or {@link #INVALID} or {@link #IGNORE}. */
  static int next(Direction direction, TcpSegmentKind kind, TcpState current) {
    return NEXT[direction.index()][kind.ordinal()][current.ordinal()];
  }
}
