package io.flowinspect.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowinspect.inspect.streams.InspectorSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

class ConnectionCacheOptionTest {

  @Test
  void connectionMemoryTakesBinarySuffixes() {
    assertThat(ConnectionCacheOption.bytes("--connection-memory", "0")).isZero();
    assertThat(ConnectionCacheOption.bytes("--connection-memory", "4096")).isEqualTo(4096);
    assertThat(ConnectionCacheOption.bytes("--connection-memory", "64k")).isEqualTo(64 * 1024);
    assertThat(ConnectionCacheOption.bytes("--connection-memory", "512M")).isEqualTo(512L << 20);
    assertThat(ConnectionCacheOption.bytes("--connection-memory", "2g")).isEqualTo(2L << 30);
  }

  @Test
  void aSizeThatIsNotOneIsRefusedNamingTheOption() {
    for (String bad : new String[] {"", "lots", "-1m", "1.5g", "1t"}) {
      assertThatThrownBy(() -> ConnectionCacheOption.bytes("--connection-memory", bad)).as(bad)
          .isInstanceOf(UserError.class)
          .hasMessageContaining("--connection-memory");
    }
  }

  @Test
  void theDefaultsAreTheInspectorsDefaults() {
    ConnectionCacheOption o = new ConnectionCacheOption();
    o.connectionCache = InspectorSettings.DEFAULT_CONNECTION_CACHE;
    o.connectionMemory = "64m";

    InspectorSettings s = o.applyTo(InspectorSettings.defaults().withConnectionMemory(0));

    assertThat(s.connectionMemory()).isEqualTo(InspectorSettings.DEFAULT_CONNECTION_MEMORY);
  }

  @Test
  void moreThanSixteenGibibytesIsRefused() {
    ConnectionCacheOption o = new ConnectionCacheOption();
    o.connectionCache = 1;
    o.connectionMemory = "17g";

    assertThatThrownBy(() -> o.applyTo(InspectorSettings.defaults())).isInstanceOf(UserError.class)
        .hasMessageContaining("16g");
  }

  /** A command that only carries the option, parsed the way the real commands parse it. */
  static final class Carrier {
    @Mixin
    ConnectionCacheOption cache = new ConnectionCacheOption();
  }

  private static InspectorSettings parsed(String... args) {
    Carrier c = new Carrier();
    new CommandLine(c).parseArgs(args);
    return c.cache.applyTo(InspectorSettings.defaults());
  }

  @Test
  void idleWritesAreOnUnlessTurnedOff() {
    assertThat(parsed().idleWrites()).isTrue();
    assertThat(parsed("--idle-writes").idleWrites()).isTrue();
    assertThat(parsed("--no-idle-writes").idleWrites()).isFalse();
  }

  @Test
  void quietChangesAreOffUnlessTurnedOnAndRefusedWithExactlyOnce() {
    assertThat(parsed().quietChanges()).isFalse();
    assertThat(parsed("--quiet-changes").quietChanges()).isTrue();
    assertThat(parsed("--no-quiet-changes").quietChanges()).isFalse();

    Carrier c = new Carrier();
    new CommandLine(c).parseArgs("--quiet-changes");
    c.cache.checkGuarantee("at_least_once");
    assertThatThrownBy(() -> c.cache.checkGuarantee("exactly_once_v2")).isInstanceOf(UserError.class)
        .hasMessageContaining("--quiet-changes needs --guarantee at_least_once");
  }
}
