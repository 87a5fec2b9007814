package io.flowinspect.inspect.streams;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The sum of one metric over every thread and task of a Kafka Streams instance, cheap enough to
 * read every few milliseconds. {@link KafkaStreams#metrics()} copies thousands of entries on each
 * call; a progress watcher calling it every 10 ms took a whole core from the work it was timing.
 * The matching metrics are looked up again at most once a second, as tasks come and go.
 */
public final class MetricSum {
  private static final long REFRESH_NANOS = 1_000_000_000L;

  private final KafkaStreams streams;
  private final String group;
  private final String name;
  private List<Metric> matching = List.of();
  private long refreshedAt;
  private boolean resolved;

  public MetricSum(KafkaStreams streams, String group, String name) {
    this.streams = streams;
    this.group = group;
    this.name = name;
  }

  public synchronized double value() {
    double total = 0;
    for (Metric m : current()) {
      if (m.metricValue() instanceof Number n && !Double.isNaN(n.doubleValue())) {
        total += n.doubleValue();
      }
    }
    return total;
  }

  /** The largest of the values instead of their sum (0 when there is none). */
  public synchronized double max() {
    double max = 0;
    for (Metric m : current()) {
      if (m.metricValue() instanceof Number n && !Double.isNaN(n.doubleValue())) {
        max = Math.max(max, n.doubleValue());
      }
    }
    return max;
  }

  private List<Metric> current() {
    long now = System.nanoTime();
    if (!resolved || now - refreshedAt > REFRESH_NANOS) {
      List<Metric> found = new ArrayList<>();
      streams.metrics().forEach((id, metric) -> {
        if (id.group().equals(group) && id.name().equals(name)) {
          found.add(metric);
        }
      });
      matching = found;
      refreshedAt = now;
      resolved = true;
    }
    return matching;
  }
}
