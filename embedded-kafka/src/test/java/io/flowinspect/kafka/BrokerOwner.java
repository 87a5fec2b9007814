package io.flowinspect.kafka;

import java.nio.file.Path;

/**
 * A JVM that starts a broker and never closes it, for the tests of what happens to the broker when
 * this JVM goes: {@code exit} returns from main at once, {@code hang} waits to be killed.
 */
final class BrokerOwner {
  private BrokerOwner() {}

  public static void main(String[] args) throws Exception {
    EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults();
    if (args.length > 1) {
      options = options.withDataDir(Path.of(args[1]));
    }
    EmbeddedKafka kafka = EmbeddedKafka.start(options);
    System.out.println(kafka.pid() + " " + kafka.dataDir());
    System.out.flush();
    if (args[0].equals("hang")) {
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
