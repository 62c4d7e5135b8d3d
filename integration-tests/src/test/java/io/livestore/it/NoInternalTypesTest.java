package io.livestore.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The suite is written as a user's application is: against the library's public packages only. An
 * {@code internal} package (and the relocated Jackson in {@code io.livestore.internal.shaded}) may change
 * in any release.
 */
class NoInternalTypesTest {

    @Test
    void theSuiteUsesNoInternalType() {
        noClasses().that().resideInAPackage("io.livestore.it..")
                .should().dependOnClassesThat().resideInAPackage("..internal..")
                .because("internal packages are not the library's API (README: public API)")
                .check(new ClassFileImporter().importPackages("io.livestore.it"));
    }
}
