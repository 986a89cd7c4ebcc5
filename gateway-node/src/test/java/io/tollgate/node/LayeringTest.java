package io.tollgate.node;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The modules' layering, checked on the compiled classes: {@code protocol} is plain Java (formats, prices,
 * the org's rules as data), {@code persistence} knows nothing of the node, and the node's packages depend on
 * each other in one direction only, with its root package (the wiring) used by none of them.
 */
class LayeringTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(new ImportOption.DoNotIncludeTests())
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("io.tollgate.protocol", "io.tollgate.persistence", "io.tollgate.node");
  }

  @Test
  void protocolUsesNoPekkoRuntimeHttpOrSql() {
    noClasses().that().resideInAPackage("io.tollgate.protocol..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.pekko..", "java.sql..", "javax.sql..",
            "java.net.http..", "org.postgresql..", "io.tollgate.persistence..", "io.tollgate.node..")
        .check(classes);
  }

  @Test
  void persistenceDoesNotUseTheNode() {
    noClasses().that().resideInAPackage("io.tollgate.persistence..")
        .should().dependOnClassesThat().resideInAPackage("io.tollgate.node..")
        .check(classes);
  }

  @Test
  void theNodesPackagesFormNoCycle() {
    slices().matching("io.tollgate.node.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void onlyTheWiringUsesTheRootPackage() {
    noClasses().that().resideInAPackage("io.tollgate.node.*..")
        .should().dependOnClassesThat().resideInAPackage("io.tollgate.node")
        .check(classes);
  }
}
