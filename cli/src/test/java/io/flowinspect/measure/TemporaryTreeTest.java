package io.flowinspect.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TemporaryTreeTest {
  @Test
  void closingRemovesTheTreeWithEverythingInIt() throws Exception {
    Path dir;
    try (TemporaryTree t = TemporaryTree.create("flowinspect-tree-test")) {
      dir = t.dir();
      Files.createDirectories(dir.resolve("a/b"));
      Files.writeString(dir.resolve("a/b/c.pcap"), "x");
    }

    assertThat(dir).doesNotExist();
  }

  @Test
  void aJvmStoppedBySigtermBeforeTheCloseRemovesTheTreeToo() throws Exception {
    Path marker = Files.createTempFile("flowinspect-tree-test", ".path");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        HoldsATree.class.getName(), marker.toString()).redirectErrorStream(true).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (Files.size(marker) == 0 && System.nanoTime() < deadline && child.isAlive()) {
        Thread.sleep(50);
      }
      Path tree = Path.of(Files.readString(marker).strip());
      assertThat(tree.resolve("generated.pcap")).exists();

      child.destroy(); // SIGTERM
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

      assertThat(tree).doesNotExist();
    } finally {
      child.destroyForcibly();
      Files.deleteIfExists(marker);
    }
  }

  /** A process that makes a tree, says where, and waits to be stopped. */
  static final class HoldsATree {
    public static void main(String[] args) throws Exception {
      TemporaryTree t = TemporaryTree.create("flowinspect-tree-test");
      Files.writeString(t.dir().resolve("generated.pcap"), "x");
      Files.writeString(Path.of(args[0]), t.dir() + File.separator);
      Thread.sleep(TimeUnit.MINUTES.toMillis(2)); // stopped long before: the shutdown hook removes the tree
    }
  }
}
