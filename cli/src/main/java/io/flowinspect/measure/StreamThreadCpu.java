package io.flowinspect.measure;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * CPU time used so far by the stream threads of one Kafka Streams application in this JVM: work
 * per CPU second leaves out the share of the cores that the broker, the JIT and the garbage
 * collector took from the stream thread, which work per wall-clock second includes.
 */
final class StreamThreadCpu implements LongSupplier {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final String prefix;

  StreamThreadCpu(String applicationId) {
    this.prefix = applicationId + "-";
  }

  @Override
  public long getAsLong() {
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      if (name.startsWith(prefix) && name.contains("-StreamThread-")) {
        long cpu = threads.getThreadCpuTime(t.getId());
        if (cpu > 0) {
          total += cpu;
        }
      }
    }
    return total;
  }
}
