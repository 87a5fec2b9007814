package io.flowinspect.capture.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an operator reads when an interface cannot be opened. Opens only the loopback interface. */
class LiveSourceErrorsTest {
  static {
    SharedCaptures.quietPcap4j();
  }

  @Test
  void unknownInterfaceFailsNamingTheInterfacesThatExist() {
    NetworkNamespace.assumeCapturePermitted();
    assertThatThrownBy(() -> LiveSource.open(LiveOptions.of("fi-no-such0")))
        .isInstanceOf(CaptureException.class)
        .hasMessageStartingWith("no such interface: fi-no-such0")
        .hasMessageContaining("interfaces: ")
        .hasMessageContaining("lo");
  }

  @Test
  void invalidFilterFailsWithLibpcapsMessage() {
    NetworkNamespace.assumeCapturePermitted();
    assertThatThrownBy(() -> LiveSource.open(LiveOptions.of("lo").withFilter("udp port")))
        .isInstanceOf(CaptureException.class)
        .hasMessage("invalid BPF filter \"udp port\" for lo: can't parse filter expression: syntax error");
  }

  @Test
  void withoutCaptureCapabilitiesOpeningSaysHowToGrantThem() {
    NetworkNamespace.assumeCapturePermitted();
    NetworkNamespace.assumeTools("setpriv");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // A child JVM whose capability bounding set lacks what capturing needs, even as root.
    NetworkNamespace.Result child = NetworkNamespace.run(Duration.ofSeconds(30), List.of(
        NetworkNamespace.tool("setpriv").orElseThrow().toString(), "--bounding-set=-net_raw,-net_admin", "--inh-caps=-all",
        java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=off", "-cp", System.getProperty("java.class.path"),
        OpenLoopback.class.getName()));

    assertThat(child.exitCode()).as(child.output()).isZero();
    assertThat(child.output())
        .contains("permission denied capturing on lo")
        .contains("run as root or grant CAP_NET_RAW,CAP_NET_ADMIN to java")
        .contains("setcap cap_net_raw,cap_net_admin=eip /");
  }

  /** Run in the child JVM: prints why opening the loopback interface failed. */
  static final class OpenLoopback {
    public static void main(String[] args) {
      try (LiveSource source = LiveSource.open(LiveOptions.of("lo"))) {
        System.out.println("opened " + source.linkType());
      } catch (CaptureException e) {
        System.out.println(e.getMessage());
      }
    }
  }
}
