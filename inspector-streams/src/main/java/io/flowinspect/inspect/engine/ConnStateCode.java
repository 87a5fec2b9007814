package io.flowinspect.inspect.engine;

import java.util.regex.Pattern;

/**
 * Zeek's {@code conn_state} codes, decided as {@code conn_state()} in
 * {@code scripts/base/protocols/conn/main.zeek} decides them from the two endpoint states (with
 * Zeek's originator and responder), the payload sizes and the history.
 */
public enum ConnStateCode {
  /** Connection attempt seen, no reply. */
  S0,
  /** Established, not terminated. */
  S1,
  /** Normal establishment and termination. */
  SF,
  /** Connection attempt rejected. */
  REJ,
  /** Established, and a close attempt by the originator seen (no reply from the responder). */
  S2,
  /** Established, and a close attempt by the responder seen (no reply from the originator). */
  S3,
  /** Established, the originator aborted (sent a RST). */
  RSTO,
  /** The responder sent a RST. */
  RSTR,
  /** The originator sent a SYN followed by a RST; no SYN/ACK from the responder. */
  RSTOS0,
  /** The responder sent a SYN/ACK followed by a RST; no SYN from the (purported) originator. */
  RSTRH,
  /** The originator sent a SYN followed by a FIN; no SYN/ACK from the responder ("half" open). */
  SH,
  /** The responder sent a SYN/ACK followed by a FIN; no SYN from the originator. */
  SHR,
  /** No SYN seen, just mid-stream traffic; and every protocol but TCP and UDP. */
  OTH;

  /** main.zeek's {@code /\^?S[^HAFGIQ]*R.*}/, matched against the whole history. */
  private static final Pattern SYN_THEN_RESET = Pattern.compile("\\^?S[^HAFGIQ]*R.*");

  static ConnStateCode tcp(ZeekEndpoint orig, ZeekEndpoint resp, String history) {
    ZeekEndpoint.State os = orig.state;
    ZeekEndpoint.State rs = resp.state;
    if (rs == ZeekEndpoint.State.RESET) {
      if (os == ZeekEndpoint.State.SYN_SENT || os == ZeekEndpoint.State.SYN_ACK_SENT
          || (os == ZeekEndpoint.State.RESET && orig.size() == 0 && resp.size() == 0)) {
        return REJ;
      }
      return orig.inactiveOrPartial() ? RSTRH : RSTR;
    }
    if (os == ZeekEndpoint.State.RESET) {
      if (resp.inactiveOrPartial()) {
        return SYN_THEN_RESET.matcher(history).matches() ? RSTOS0 : OTH;
      }
      return RSTO;
    }
    if (os == ZeekEndpoint.State.CLOSED && rs == ZeekEndpoint.State.CLOSED) {
      return SF;
    }
    if (os == ZeekEndpoint.State.CLOSED) {
      return resp.inactiveOrPartial() ? SH : S2;
    }
    if (rs == ZeekEndpoint.State.CLOSED) {
      return orig.inactiveOrPartial() ? SHR : S3;
    }
    if (os == ZeekEndpoint.State.SYN_SENT && rs == ZeekEndpoint.State.INACTIVE) {
      return S0;
    }
    if (os == ZeekEndpoint.State.ESTABLISHED && rs == ZeekEndpoint.State.ESTABLISHED) {
      return S1;
    }
    return OTH;
  }

  static ConnStateCode udp(ZeekEndpoint orig, ZeekEndpoint resp) {
    boolean origActive = orig.state == ZeekEndpoint.State.ACTIVE;
    boolean respActive = resp.state == ZeekEndpoint.State.ACTIVE;
    if (origActive) {
      return respActive ? SF : S0;
    }
    return respActive ? SHR : OTH;
  }
}
