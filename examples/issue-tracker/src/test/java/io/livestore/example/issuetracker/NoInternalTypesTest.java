package io.livestore.example.issuetracker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The example is what a user copies: it uses the library's public packages only, never an
 * {@code internal} one (which may change in any release).
 */
class NoInternalTypesTest {

    @Test
    void theExampleUsesNoInternalType() {
        noClasses().that().resideInAPackage("io.livestore.example..")
                .should().dependOnClassesThat().resideInAPackage("..internal..")
                .because("internal packages are not the library's API (README: public API)")
                .check(new ClassFileImporter().importPackages("io.livestore.example"));
    }
}
