package io.flowinspect.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The broker JVM's classpath. The broker's jars are listed at build time by maven-dependency-plugin
 * (see this module's pom) so that they never sit on the classpath of the code that starts the broker.
 */
final class BrokerClasspath {
  static final String RESOURCE = "broker.classpath";
  private static final String BUILD_FIRST = "build the embedded-kafka module first: mvn -pl embedded-kafka package";

  private BrokerClasspath() {}

  /** The broker's jars, then this module's own classes for {@link BrokerMain}. */
  static String load() throws IOException {
    String jars;
    try (InputStream in = BrokerClasspath.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("resource io/flowinspect/kafka/" + RESOURCE + " is missing; " + BUILD_FIRST);
      }
      jars = new String(in.readAllBytes(), UTF_8).strip();
    }
    if (jars.isEmpty()) {
      throw new IOException("resource io/flowinspect/kafka/" + RESOURCE + " is empty; " + BUILD_FIRST);
    }
    // The list names files in the local Maven repository of the machine that built it.
    for (String jar : jars.split(File.pathSeparator)) {
      if (!Files.isRegularFile(Path.of(jar))) {
        throw new IOException("broker jar " + jar + " is missing; " + BUILD_FIRST);
      }
    }
    // Last, so that the broker's own jars win over anything else a fat jar may hold.
    return jars + File.pathSeparator + ownLocation();
  }

  private static Path ownLocation() throws IOException {
    try {
      return Path.of(BrokerClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new IOException("cannot locate the classes of " + BrokerMain.class.getName(), e);
    }
  }
}
