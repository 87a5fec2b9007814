package io.flowinspect.kafka;

import java.lang.reflect.InvocationTargetException;

/**
 * The broker JVM's entry point: {@code kafka.Kafka}, plus an exit when the JVM that started it is gone.
 * A parent killed with SIGKILL runs no shutdown hook, and would otherwise leave an orphan broker behind.
 * Runs inside the broker JVM: JDK classes only, and Kafka by reflection because the broker's jars are not
 * on this module's compile classpath.
 */
final class BrokerMain {
  static final String PARENT_PID_PROPERTY = "flowinspect.parent.pid";

  private BrokerMain() {}

  public static void main(String[] args) throws Throwable {
    long parentPid = Long.getLong(PARENT_PID_PROPERTY, -1L);
    ProcessHandle parent = parentPid > 0 ? ProcessHandle.of(parentPid).orElse(null) : null;
    if (parent == null) {
      System.err.println("parent JVM " + parentPid + " is not running; not starting the broker");
      System.exit(1);
    }
    parent.onExit().thenRun(() -> {
      System.err.println("parent JVM " + parentPid + " exited; stopping the broker");
      System.exit(1); // runs Kafka's own shutdown hook: a clean stop
    });
    try {
      Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
