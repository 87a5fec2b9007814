package io.flowinspect.demo;

import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.engine.Protocols;
import io.flowinspect.inspect.streams.AvroMapping;
import io.flowinspect.schemas.Endpoint;

/** Text of the topics' endpoints: {@code 10.0.0.1:80}, {@code [2001:db8::1]:443}. */
final class Endpoints {
  private Endpoints() {}

  static String text(Endpoint e, int protocol) {
    IpAddress a = AvroMapping.address(e);
    if (Protocols.isIcmp(protocol)) {
      return a.toString();
    }
    return (a.ipv6() ? "[" + a + "]" : a.toString()) + ":" + e.getPort();
  }

  static String protocol(int protocol) {
    return Protocols.name(protocol, false);
  }
}
