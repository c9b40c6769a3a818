package io.github.llavao1.quarkus.deployment;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The extension's runtime module runs in the application and uses nothing of the build: neither this deployment module
 * nor Quarkus' build-time API (build steps, build items), which is on the classpath only while the application is
 * built. Checked here, where both modules' classes are on the classpath.
 */
class RuntimeLayeringTest {

    @Test
    void runtimeUsesNoBuildTimeClass() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.github.llavao1.quarkus.deployment..",
                        "io.quarkus.deployment..", "io.quarkus.builder..")
                .check(new ClassFileImporter().importPackages("io.github.llavao1.quarkus.runtime"));
    }
}
