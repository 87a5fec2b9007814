package io.flowinspect.capture.source;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A network namespace joined to this one by a veth pair, for tests that capture real traffic: the
 * test captures on the host end and runs commands inside. Subnet X (1..250) is claimed atomically by
 * creating the host end {@code fi<X>h}, so that concurrent builds never share addresses: the host end
 * has 10.250.X.1/24 and fd00:250:X::1/64, the namespace end {@code fi<X>n} 10.250.X.2/24 and
 * fd00:250:X::2/64. {@link #close()} deletes both ends and the namespace; a shutdown hook deletes what
 * a test left open, and namespaces of JVMs that no longer run are deleted before the first new one.
 */
final class NetworkNamespace implements AutoCloseable {
  /** What a command printed (stdout and stderr together) and how it exited. */
  record Result(int exitCode, String output) {}

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
  private static final Pattern OURS = Pattern.compile("fi-(\\d+)-(\\d+|trial)");
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Set<NetworkNamespace> OPEN = ConcurrentHashMap.newKeySet();
  // Capability bits (linux/capability.h).
  private static final int CAP_NET_ADMIN = 12;
  private static final int CAP_NET_RAW = 13;
  private static final int CAP_SYS_ADMIN = 21;

  private final String name;
  private final int subnet;
  private boolean ipv6;
  private boolean offloadsOff;

  private NetworkNamespace(String name, int subnet) {
    this.name = name;
    this.subnet = subnet;
  }

  /** Skips the calling test, saying why, unless namespaces can be made here (root, iproute2). */
  static void assumeAvailable() {
    String reason = Availability.REASON;
    assumeTrue(reason == null, reason);
  }

  /** Skips the calling test unless this process may open a capture (CAP_NET_RAW, CAP_NET_ADMIN). */
  static void assumeCapturePermitted() {
    assumeTrue(hasCapabilities(CAP_NET_RAW, CAP_NET_ADMIN),
        "live capture needs root or CAP_NET_RAW,CAP_NET_ADMIN (CapEff " + effectiveCapabilities() + ")");
  }

  /** Skips the calling test unless every named command is installed. */
  static void assumeTools(String... names) {
    for (String tool : names) assumeTrue(tool(tool).isPresent(), tool + " is not installed: test skipped");
  }

  /** A command's path from PATH, or from the sbin directories a non-login root shell may lack. */
  static Optional<Path> tool(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    List<String> dirs = new ArrayList<>(Arrays.asList(path.split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
    return dirs.stream()
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, command))
        .filter(Files::isExecutable)
        .findFirst();
  }

  static NetworkNamespace create() {
    assumeAvailable();
    Availability.deleteNamespacesOfDeadJvms();
    String name = "fi-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    host("ip", "netns", "add", name);
    NetworkNamespace namespace;
    try {
      namespace = new NetworkNamespace(name, claimSubnet(name));
    } catch (RuntimeException | Error e) {
      run(COMMAND_TIMEOUT, List.of(ip(), "netns", "del", name));
      throw e;
    }
    OPEN.add(namespace);
    try {
      namespace.configure();
    } catch (RuntimeException | Error e) {
      namespace.close();
      throw e;
    }
    return namespace;
  }

  String name() {
    return name;
  }

  String hostInterface() {
    return "fi" + subnet + "h";
  }

  String namespaceInterface() {
    return "fi" + subnet + "n";
  }

  String hostIpv4() {
    return "10.250." + subnet + ".1";
  }

  String namespaceIpv4() {
    return "10.250." + subnet + ".2";
  }

  String hostIpv6() {
    return "fd00:250:" + Integer.toHexString(subnet) + "::1";
  }

  String namespaceIpv6() {
    return "fd00:250:" + Integer.toHexString(subnet) + "::2";
  }

  /** Whether both ends have their IPv6 addresses (false where IPv6 is disabled). */
  boolean ipv6() {
    return ipv6;
  }

  /**
   * Whether checksum offloads are off on both ends (needs ethtool). With them on, a veth hands
   * frames over with checksums not yet filled in, and a capture sees them as bad.
   */
  boolean offloadsOff() {
    return offloadsOff;
  }

  /** Runs a command inside the namespace, bounded by a timeout; fails unless it exits with 0. */
  Result exec(String... command) {
    return exec(COMMAND_TIMEOUT, command);
  }

  Result exec(Duration timeout, String... command) {
    List<String> line = new ArrayList<>(List.of(ip(), "netns", "exec", name));
    line.add(tool(command[0]).orElseThrow(() -> new IllegalStateException("not installed: " + command[0])).toString());
    line.addAll(Arrays.asList(command).subList(1, command.length));
    return succeeded(line, run(timeout, line));
  }

  /** Deletes the veth pair and the namespace, and waits until the host end is gone. */
  @Override
  public void close() {
    if (!OPEN.remove(this)) return;
    run(COMMAND_TIMEOUT, List.of(ip(), "link", "del", hostInterface()));
    Result deleted = run(COMMAND_TIMEOUT, List.of(ip(), "netns", "del", name));
    // The kernel destroys a namespace's devices asynchronously.
    Path hostEnd = Path.of("/sys/class/net", hostInterface());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (Files.exists(hostEnd) && System.nanoTime() < deadline) sleep(20);
    if (deleted.exitCode() != 0 && Files.exists(Path.of("/run/netns", name))) {
      throw new IllegalStateException("could not delete namespace " + name + ": " + deleted.output());
    }
  }

  @Override
  public String toString() {
    return name + " (" + hostInterface() + " " + hostIpv4() + " <-> " + namespaceInterface() + " "
        + namespaceIpv4() + ")";
  }

  private void configure() {
    String hostEnd = hostInterface();
    String nsEnd = namespaceInterface();
    host("ip", "addr", "add", hostIpv4() + "/24", "dev", hostEnd);
    host("ip", "-n", name, "addr", "add", namespaceIpv4() + "/24", "dev", nsEnd);
    // nodad: the addresses are usable at once instead of after duplicate address detection.
    ipv6 = succeeds(ip(), "-6", "addr", "add", hostIpv6() + "/64", "dev", hostEnd, "nodad")
        && succeeds(ip(), "-n", name, "-6", "addr", "add", namespaceIpv6() + "/64", "dev", nsEnd, "nodad");
    host("ip", "link", "set", hostEnd, "up");
    host("ip", "-n", name, "link", "set", nsEnd, "up");
    host("ip", "-n", name, "link", "set", "lo", "up");
    Optional<Path> ethtool = tool("ethtool");
    if (ethtool.isPresent()) {
      String path = ethtool.get().toString();
      offloadsOff = succeeds(path, "-K", hostEnd, "tx", "off", "rx", "off")
          && succeeds(ip(), "netns", "exec", name, path, "-K", nsEnd, "tx", "off", "rx", "off");
    }
    if (!offloadsOff) {
      System.err.println(this + ": ethtool missing or failed, checksum offloads stay on: checksums unverifiable");
    }
  }

  /**
   * Takes the first free X from a start that differs between JVMs. Creating {@code fi<X>h} fails
   * with "File exists" when another build holds X, which makes the claim atomic.
   */
  private static int claimSubnet(String namespace) {
    Set<Integer> inUse = subnetsInUse();
    int start = (int) (ProcessHandle.current().pid() % 250);
    for (int i = 0; i < 250; i++) {
      int x = (start + i) % 250 + 1;
      if (inUse.contains(x)) continue;
      Result created = run(COMMAND_TIMEOUT,
          List.of(ip(), "link", "add", "fi" + x + "h", "type", "veth", "peer", "name", "fi" + x + "n",
              "netns", namespace));
      if (created.exitCode() == 0) return x;
      if (!created.output().contains("File exists")) {
        throw new IllegalStateException("cannot create a veth pair: " + created.output());
      }
    }
    throw new IllegalStateException("no free subnet in 10.250.1-250.0/24");
  }

  /** Subnets of 10.250/16 that something else on the host already uses. */
  private static Set<Integer> subnetsInUse() {
    Set<Integer> inUse = new HashSet<>();
    Matcher m = Pattern.compile("inet 10\\.250\\.(\\d+)\\.").matcher(host("ip", "-o", "-4", "addr", "show").output());
    while (m.find()) inUse.add(Integer.parseInt(m.group(1)));
    return inUse;
  }

  private static boolean succeeds(String... command) {
    return run(COMMAND_TIMEOUT, List.of(command)).exitCode() == 0;
  }

  private static Result host(String... command) {
    List<String> line = new ArrayList<>(Arrays.asList(command));
    if (line.get(0).equals("ip")) line.set(0, ip());
    return succeeded(line, run(COMMAND_TIMEOUT, line));
  }

  private static Result succeeded(List<String> line, Result result) {
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", line) + " exited with " + result.exitCode() + ": " + result.output());
    }
    return result;
  }

  /**
   * Runs a command to completion or kills it (and what it started) at the timeout. Output goes to a
   * file, so that a chatty command can never block on a full pipe.
   */
  static Result run(Duration timeout, List<String> command) {
    Path output = null;
    try {
      output = Files.createTempFile("fi-netns", ".out");
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", command));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    } finally {
      if (output != null) output.toFile().delete();
    }
  }

  private static String ip() {
    return tool("ip").map(Path::toString).orElse("ip");
  }

  private static boolean hasCapabilities(int... capabilities) {
    long effective = effectiveCapabilities();
    for (int capability : capabilities) {
      if ((effective & (1L << capability)) == 0) return false;
    }
    return true;
  }

  /** CapEff of this process, 0 where /proc cannot tell (not Linux). */
  private static long effectiveCapabilities() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines.filter(l -> l.startsWith("CapEff:"))
          .map(l -> Long.parseUnsignedLong(l.substring("CapEff:".length()).strip(), 16))
          .findFirst().orElse(0L);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Checked once per JVM: a trial namespace costs two commands. */
  private static final class Availability {
    static final String REASON = check();
    private static boolean staleDeleted;

    private static String check() {
      if (!hasCapabilities(CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_NET_RAW)) {
        return "network-namespace tests need root (CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_NET_RAW), as in CI; CapEff "
            + Long.toHexString(effectiveCapabilities());
      }
      if (tool("ip").isEmpty()) return "network-namespace tests need ip (iproute2), which is not installed";
      String trial = "fi-" + ProcessHandle.current().pid() + "-trial";
      Result added = run(COMMAND_TIMEOUT, List.of(ip(), "netns", "add", trial));
      if (added.exitCode() != 0) return "cannot create a network namespace here: " + added.output();
      run(COMMAND_TIMEOUT, List.of(ip(), "netns", "del", trial));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(OPEN).forEach(NetworkNamespace::close),
          "delete-test-namespaces"));
      return null;
    }

    /** What a killed JVM left behind: its namespaces, which take their veth ends with them. */
    static synchronized void deleteNamespacesOfDeadJvms() {
      if (staleDeleted) return;
      staleDeleted = true;
      File[] names = new File("/run/netns").listFiles();
      if (names == null) return;
      for (File file : names) {
        Matcher m = OURS.matcher(file.getName());
        if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
          run(COMMAND_TIMEOUT, List.of(ip(), "netns", "del", file.getName()));
        }
      }
    }
  }
}
