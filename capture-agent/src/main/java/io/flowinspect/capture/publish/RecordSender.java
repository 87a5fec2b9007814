package io.flowinspect.capture.publish;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Hands records to the Kafka producer from a thread of its own. The producer's {@code send} can
 * block — on metadata when the broker is unreachable, on its buffer when the broker is slow — and
 * a capture thread that blocks loses packets in the kernel, uncounted. Here the capture thread only
 * ever offers to a bounded queue; what does not fit is dropped and counted, or waited for, as the
 * {@link Backpressure} says. One sender thread keeps the records' order.
 */
final class RecordSender implements AutoCloseable {
  private record Outgoing(ProducerRecord<byte[], byte[]> record, int packets) {}

  private static final Outgoing STOP = new Outgoing(null, 0);

  private final Producer<byte[], byte[]> producer;
  private final Backpressure backpressure;
  private final long maxPending;
  private final BlockingQueue<Outgoing> queue;
  private final Thread thread;
  private final Object room = new Object();
  /** Packets queued or sent and not yet acknowledged. */
  private long pending;
  /** Records queued and not yet handed to the producer. */
  private final AtomicLong queued = new AtomicLong();
  /** Records queued or handed to the producer that have no answer yet (heartbeats included). */
  private final AtomicLong unanswered = new AtomicLong();
  final AtomicLong packetsAcked = new AtomicLong();
  final AtomicLong recordsAcked = new AtomicLong();
  final AtomicLong packetsFailed = new AtomicLong();
  final AtomicLong packetsDropped = new AtomicLong();
  final AtomicReference<Exception> firstFailure = new AtomicReference<>();

  RecordSender(Producer<byte[], byte[]> producer, Backpressure backpressure, long maxPendingPackets, String name) {
    this.producer = producer;
    this.backpressure = backpressure;
    this.maxPending = maxPendingPackets;
    this.queue = new ArrayBlockingQueue<>((int) Math.min(Integer.MAX_VALUE - 8, Math.max(1024, maxPendingPackets + 1024)));
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a record carrying {@code packets} headers (0 for a heartbeat); false when it was dropped. */
  boolean offer(ProducerRecord<byte[], byte[]> record, int packets) {
    if (!reserve(packets)) {
      packetsDropped.addAndGet(packets);
      return false;
    }
    queued.incrementAndGet();
    unanswered.incrementAndGet();
    if (!queue.offer(new Outgoing(record, packets))) {
      queued.decrementAndGet();
      unanswered.decrementAndGet();
      release(packets);
      packetsDropped.addAndGet(packets);
      return false;
    }
    return true;
  }

  long pendingPackets() {
    synchronized (room) {
      return pending;
    }
  }

  /**
   * Waits until every queued record reached the producer and the producer has an answer for
   * each, at most {@code timeout}; returns false when time ran out.
   *
   * <p>The producer's own {@code flush()} has no timeout, and it can wait forever: an idempotent
   * producer that lost its broker before it got a producer id never expires its batches. So it
   * runs on a thread of its own, only to send lingering batches at once, and this method waits
   * for the answers, which every record gets (acknowledged, failed, or aborted by close).
   */
  boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (queued.get() > 0) {
      if (System.nanoTime() > deadline || !thread.isAlive()) {
        return false;
      }
      sleepBriefly();
    }
    if (unanswered.get() == 0) {
      return true;
    }
    Thread push = new Thread(producer::flush, thread.getName() + "-flush");
    push.setDaemon(true);
    push.start();
    while (unanswered.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      sleepBriefly();
    }
    return true;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /**
   * Stops after the queue drained or {@code timeout} passed; records still queued then are counted
   * as failed, so that every packet is accounted for.
   */
  void close(Duration timeout) {
    boolean drained = flush(timeout);
    queue.clear();
    queue.offer(STOP);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(drained ? timeout : Duration.ZERO);
    long lost = pendingPackets(); // never answered: queued when time ran out, or stuck in the producer
    if (lost > 0) {
      packetsFailed.addAndGet(lost);
      release(lost);
    }
  }

  private void run() {
    while (true) {
      Outgoing o;
      try {
        o = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (o == STOP) {
        return;
      }
      int packets = o.packets();
      try {
        producer.send(o.record(), (metadata, exception) -> {
          unanswered.decrementAndGet();
          release(packets);
          if (exception == null) {
            packetsAcked.addAndGet(packets);
            recordsAcked.incrementAndGet();
          } else {
            packetsFailed.addAndGet(packets);
            firstFailure.compareAndSet(null, exception);
          }
        });
      } catch (RuntimeException e) {
        // Refused at once: no metadata in time, buffer exhausted, producer closed.
        unanswered.decrementAndGet();
        release(packets);
        packetsFailed.addAndGet(packets);
        firstFailure.compareAndSet(null, e);
      } finally {
        queued.decrementAndGet();
      }
    }
  }

  private boolean reserve(int packets) {
    synchronized (room) {
      if (backpressure == Backpressure.DROP) {
        if (packets > 0 && pending + packets > maxPending) {
          return false;
        }
      } else {
        while (packets > 0 && pending + packets > maxPending && pending > 0) {
          try {
            room.wait(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
      }
      pending += packets;
      return true;
    }
  }

  private void release(long packets) {
    synchronized (room) {
      pending -= packets;
      room.notifyAll();
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
