package io.flowinspect.inspect;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The inspection logic must run without Kafka (the offline command, benchmarks, unit tests): only
 * the streams adapter may know Kafka, Avro or the topic schemas.
 */
class EngineIsFreeOfKafkaTest {
  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.flowinspect.inspect");

  @Test
  void engineOutputAndPolicyDependOnNeitherKafkaNorAvro() {
    noClasses().that().resideOutsideOfPackage("io.flowinspect.inspect.streams..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.apache.avro..",
            "io.flowinspect.schemas..")
        .check(classes);
  }

  @Test
  void engineDoesNotDependOnPolicyOrStreams() {
    noClasses().that().resideInAPackage("io.flowinspect.inspect.engine..")
        .should().dependOnClassesThat().resideInAnyPackage("io.flowinspect.inspect.policy..",
            "io.flowinspect.inspect.streams..", "io.flowinspect.inspect.output..")
        .check(classes);
  }
}
