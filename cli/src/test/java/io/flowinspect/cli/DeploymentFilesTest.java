package io.flowinspect.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.flowinspect.inspect.policy.RuleSetLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * docker-compose.yml, k8s/ and the Dockerfile cannot be run here (no container engine), so what
 * can drift from the code is checked instead: every flowinspect command line they hold parses with
 * the commands as they are, every file they name exists, and the versions agree with the build.
 */
class DeploymentFilesTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\{(\\w+):-([^}]*)}");
  private static final Pattern K8S_VARIABLE = Pattern.compile("\\$\\((\\w+)\\)");

  @Test
  void everyFlowinspectCommandInDockerComposeParses() throws IOException {
    Map<String, Object> services = map(composeFile().get("services"));
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, Object> e : services.entrySet()) {
      Map<String, Object> service = merged(map(e.getValue()));
      if (!String.valueOf(service.get("image")).startsWith("flowinspect:")) {
        continue;
      }
      List<String> args = new ArrayList<>();
      for (Object a : (List<?>) service.get("command")) {
        args.add(composeDefaults(String.valueOf(a)));
      }
      assertParses(e.getKey(), args);
      checked.add(e.getKey() + ": " + args.get(0));
    }
    assertThat(checked).containsExactlyInAnyOrder("topics: topics", "inspector: inspector", "replay: capture",
        "capture: capture");
  }

  @Test
  void theComposeBrokerIsTheKafkaVersionTheProjectBuildsWith() throws IOException {
    Map<String, Object> kafka = map(map(composeFile().get("services")).get("kafka"));

    assertThat(kafka.get("image")).isEqualTo("apache/kafka:" + pomProperty("kafka.version"));
  }

  @Test
  void everyFlowinspectContainerInK8sParses() throws IOException {
    Map<String, String> config = configMapLiterals();
    List<String> checked = new ArrayList<>();
    for (Path manifest : manifests()) {
      for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(manifest))) {
        for (Map<String, Object> container : containers(doc)) {
          if (!"flowinspect".equals(container.get("image"))) {
            continue;
          }
          Map<String, String> env = new HashMap<>(config);
          for (Object v : (List<?>) container.getOrDefault("env", List.of())) {
            Map<String, Object> var = map(v);
            env.put(String.valueOf(var.get("name")), var.containsKey("value") ? String.valueOf(var.get("value")) : "node-1");
          }
          List<String> args = new ArrayList<>();
          for (Object a : (List<?>) container.get("args")) {
            args.add(k8sExpanded(String.valueOf(a), env, manifest));
          }
          assertParses(manifest.getFileName() + "/" + container.get("name"), args);
          checked.add(manifest.getFileName() + ": " + args.get(0));
        }
      }
    }
    assertThat(checked).containsExactlyInAnyOrder("topics-job.yaml: topics", "inspector.yaml: inspector",
        "capture-agent.yaml: capture");
  }

  @Test
  void theKustomizationNamesEveryManifestAndItsRuleSetLoads() throws IOException {
    Map<String, Object> k = kustomization();
    TreeSet<String> listed = new TreeSet<>();
    for (Object r : (List<?>) k.get("resources")) {
      listed.add(String.valueOf(r));
    }
    TreeSet<String> present = new TreeSet<>();
    for (Path p : manifests()) {
      present.add(p.getFileName().toString());
    }

    assertThat(listed).isEqualTo(present);
    assertThatCode(() -> RuleSetLoader.load(ROOT.resolve("k8s/rules.yaml"))).doesNotThrowAnyException();
  }

  @Test
  void theImageBuildCopiesEveryModulesPomBeforeTheSources() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
    List<String> modules = new ArrayList<>();
    while (m.find()) {
      modules.add(m.group(1));
    }

    assertThat(modules).isNotEmpty();
    for (String module : modules) {
      assertThat(dockerfile).contains("COPY " + module + "/pom.xml " + module + "/");
    }
  }

  /** Parses as {@code flowinspect} would, so an option renamed or made required fails here. */
  private static void assertParses(String where, List<String> args) {
    assertThatCode(() -> Main.commandLine().parseArgs(args.toArray(String[]::new)))
        .as("%s: %s", where, args).doesNotThrowAnyException();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("/opt/flowinspect/samples/")) { // the image's copy of samples/ (scripts/dist)
        assertThat(ROOT.resolve("samples").resolve(a.substring("/opt/flowinspect/samples/".length())))
            .as("%s names %s", where, a).isRegularFile();
      }
    }
  }

  private static String composeDefaults(String arg) {
    Matcher m = COMPOSE_VARIABLE.matcher(arg);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(m.group(2)));
    }
    m.appendTail(sb);
    assertThat(sb.toString()).as("a variable without a default in %s", arg).doesNotContain("${");
    return sb.toString();
  }

  private static String k8sExpanded(String arg, Map<String, String> env, Path manifest) {
    Matcher m = K8S_VARIABLE.matcher(arg);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      assertThat(value).as("%s: $(%s) is set neither by the container nor by the config map", manifest, m.group(1))
          .isNotNull();
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** The containers of a workload (Job, StatefulSet, DaemonSet, Deployment); none for other kinds. */
  private static List<Map<String, Object>> containers(Object doc) {
    Map<String, Object> spec = map(map(doc).get("spec"));
    if (spec == null || !spec.containsKey("template")) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object c : (List<?>) map(map(spec.get("template")).get("spec")).get("containers")) {
      out.add(map(c));
    }
    return out;
  }

  private static Map<String, String> configMapLiterals() throws IOException {
    Map<String, String> literals = new HashMap<>();
    for (Object generator : (List<?>) kustomization().get("configMapGenerator")) {
      for (Object literal : (List<?>) map(generator).getOrDefault("literals", List.of())) {
        String[] kv = String.valueOf(literal).split("=", 2);
        literals.put(kv[0], kv[1]);
      }
    }
    return literals;
  }

  private static List<Path> manifests() throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve("k8s"))) {
      return files.filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
          .filter(p -> !p.getFileName().toString().equals("rules.yaml"))
          .sorted().toList();
    }
  }

  private static Map<String, Object> kustomization() throws IOException {
    return map(load(ROOT.resolve("k8s/kustomization.yaml")));
  }

  private static Map<String, Object> composeFile() throws IOException {
    return map(load(ROOT.resolve("docker-compose.yml")));
  }

  private static Object load(Path file) throws IOException {
    return new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
  }

  /** YAML 1.2 has no merge key: Compose's {@code <<: *anchor} is applied here, the service's own keys winning. */
  private static Map<String, Object> merged(Map<String, Object> service) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (service.get("<<") != null) {
      out.putAll(map(service.get("<<")));
    }
    service.forEach((k, v) -> {
      if (!k.equals("<<")) {
        out.put(k, v);
      }
    });
    return out;
  }

  private static String pomProperty(String name) throws IOException {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertThat(m.find()).as("pom.xml has %s", name).isTrue();
    return m.group(1);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
