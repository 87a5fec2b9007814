package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rocksdb.CompressionType;

class BoundedRocksDbSettingsTest {

  @Test
  void absentKeysTakeTheirDefaults() {
    BoundedRocksDbSettings s = BoundedRocksDbSettings.from(Map.of());

    assertThat(s.memoryBytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(s.writeBufferBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(s.indexFilterFraction()).isEqualTo(0.1);
    assertThat(s.compression()).isEqualTo(CompressionType.LZ4_COMPRESSION);
    assertThat(s.timeOrderedStores()).containsExactlyInAnyOrder("expiry-index", "unreplied-index");
  }

  @Test
  void valuesAreReadFromStringsAsInPropertiesAndFromNumbers() {
    BoundedRocksDbSettings s = BoundedRocksDbSettings.from(Map.of(
        BoundedRocksDbSettings.MEMORY_BYTES, " 1073741824 ",
        BoundedRocksDbSettings.WRITE_BUFFER_FRACTION, 0.5,
        BoundedRocksDbSettings.INDEX_FILTER_FRACTION, "0",
        BoundedRocksDbSettings.COMPRESSION, "ZSTD",
        BoundedRocksDbSettings.TIME_ORDERED_STORES, List.of("timers")));

    assertThat(s.memoryBytes()).isEqualTo(1L << 30);
    assertThat(s.writeBufferBytes()).isEqualTo(1L << 29);
    assertThat(s.indexFilterFraction()).isZero();
    assertThat(s.compression()).isEqualTo(CompressionType.ZSTD_COMPRESSION);
    assertThat(s.timeOrdered("timers")).isTrue();
    assertThat(s.timeOrdered("expiry-index")).isFalse();
  }

  @Test
  void aStoreNameMatchesWithAPrefix() {
    BoundedRocksDbSettings s = BoundedRocksDbSettings.defaults();

    assertThat(s.timeOrdered("expiry-index")).isTrue();
    assertThat(s.timeOrdered("tenant-a-expiry-index")).isTrue();
    assertThat(s.timeOrdered("connections")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "flowinspect.rocksdb.memory.bytes         | 256MB",
      "flowinspect.rocksdb.memory.bytes         | 1048576",
      "flowinspect.rocksdb.write.buffer.fraction | 1",
      "flowinspect.rocksdb.write.buffer.fraction | 0",
      "flowinspect.rocksdb.write.buffer.fraction | a quarter",
      "flowinspect.rocksdb.index.filter.fraction | -0.1",
      "flowinspect.rocksdb.compression           | snappy",
  })
  void aBadValueFailsNamingItsKey(String key, String value) {
    assertThatThrownBy(() -> BoundedRocksDbSettings.from(Map.of(key, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(value);
  }
}
