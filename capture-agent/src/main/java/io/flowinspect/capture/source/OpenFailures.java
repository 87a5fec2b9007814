package io.flowinspect.capture.source;

import java.util.List;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

/** Says why libpcap could not open an interface, in words that tell the operator what to do. */
final class OpenFailures {
  // pcap_activate's return codes (pcap/pcap.h).
  private static final int NO_SUCH_DEVICE = -5;
  private static final int PERM_DENIED = -8;
  private static final int IFACE_NOT_UP = -9;
  private static final int PROMISC_PERM_DENIED = -11;

  private OpenFailures() {}

  static CaptureException activation(String interfaceName, PcapNativeException e) {
    String libpcap = libpcapMessage(e);
    Integer code = e.getReturnCode();
    if (code == null) return new CaptureException("cannot capture on " + interfaceName + ": " + libpcap, e);
    return switch (code) {
      case NO_SUCH_DEVICE -> new CaptureException(
          "no such interface: " + interfaceName + " (" + libpcap + "); interfaces: " + interfaceNames(), e);
      case PERM_DENIED, PROMISC_PERM_DENIED -> new CaptureException(
          "permission denied capturing on " + interfaceName + " (" + libpcap + "): run as root or grant"
              + " CAP_NET_RAW,CAP_NET_ADMIN to java, e.g. setcap cap_net_raw,cap_net_admin=eip " + javaBinary(), e);
      case IFACE_NOT_UP -> new CaptureException(
          interfaceName + " is down (" + libpcap + "): bring it up, e.g. ip link set " + interfaceName + " up", e);
      default -> new CaptureException("cannot capture on " + interfaceName + ": " + libpcap, e);
    };
  }

  static CaptureException filter(String interfaceName, String filter, PcapNativeException e) {
    return new CaptureException(
        "invalid BPF filter \"" + filter + "\" for " + interfaceName + ": " + libpcapMessage(e), e);
  }

  /** libpcap's own words, without the prefix pcap4j puts before them. */
  static String libpcapMessage(PcapNativeException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) return "libpcap gave no reason";
    return message.replaceFirst("^(Unexpected error|Error) occurred( in pcap_\\w+(\\(\\))?)?: ", "");
  }

  private static String interfaceNames() {
    try {
      List<PcapNetworkInterface> interfaces = Pcaps.findAllDevs();
      if (interfaces.isEmpty()) return "none found";
      return String.join(", ", interfaces.stream().map(PcapNetworkInterface::getName).toList());
    } catch (PcapNativeException e) {
      return "cannot list them (" + libpcapMessage(e) + ")";
    }
  }

  /** setcap needs the real binary, not a symlink such as /usr/bin/java. */
  private static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("$(readlink -f \"$(command -v java)\")");
  }
}
