package io.flowinspect.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Waits until new topics are usable: known to the broker that answers and every partition led, so
 * that a producer or consumer started next does not meet a topic the cluster has not finished
 * creating. Used by the embedded broker and by {@code flowinspect topics} on a real cluster.
 */
public final class TopicLeaders {
  private static final Duration POLL = Duration.ofMillis(50);

  private TopicLeaders() {}

  /**
   * Describes {@code topics} until every partition of each has a leader, and returns the
   * descriptions. A topic the answering broker does not know yet is asked for again; any other
   * failure is thrown as it came. {@link TimeoutException} when {@code timeout} passes first.
   */
  public static Map<String, TopicDescription> await(Admin admin, Collection<String> topics, Duration timeout)
      throws InterruptedException, TimeoutException, ExecutionException {
    Deadline deadline = Deadline.after(timeout);
    while (true) {
      try {
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
            .get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
        if (described.values().stream().allMatch(TopicLeaders::led)) {
          return described;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (deadline.passed()) {
        throw new TimeoutException("topics " + topics + " have partitions without a leader after " + timeout);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** A partition without a leader has none, or the empty node. */
  private static boolean led(TopicDescription topic) {
    return topic.partitions().stream().map(TopicPartitionInfo::leader).allMatch(l -> l != null && !l.isEmpty());
  }
}
