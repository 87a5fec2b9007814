package io.flowinspect.measure;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * How much the JIT compiler has worked in this JVM: the elapsed time of its compilations, summed
 * over its threads. Elapsed, not CPU: on busy cores a compilation waiting for one counts too, so
 * this overstates the cores the compiler took, but not whether it was at work. On two cores the
 * compiler's threads compete with what is being timed, so the report says how much of that
 * happened during each timed run (BENCHMARKS.md, eighth session: the C2 thread took two thirds of
 * a core through a fresh JVM's first inspector run).
 */
final class JitCompiler {
  private JitCompiler() {}

  /** Seconds the JIT compiler's threads have spent compiling since the JVM started; NaN if not known. */
  static double seconds() {
    CompilationMXBean c = ManagementFactory.getCompilationMXBean();
    return c == null || !c.isCompilationTimeMonitoringSupported() ? Double.NaN : c.getTotalCompilationTime() / 1e3;
  }
}
