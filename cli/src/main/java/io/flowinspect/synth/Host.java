package io.flowinspect.synth;

import io.flowinspect.inspect.engine.IpAddress;

/** An address on the synthetic network, with the MAC its frames carry. */
public record Host(IpAddress address, byte[] mac) {
  public static Host of(String address, int macSuffix) {
    byte[] mac = {0x02, 0x00, 0x5e, (byte) (macSuffix >>> 16), (byte) (macSuffix >>> 8), (byte) macSuffix};
    return new Host(IpAddress.parse(address), mac);
  }

  public boolean ipv6() {
    return address.ipv6();
  }

  @Override
  public String toString() {
    return address.toString();
  }
}
