package io.livestore;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §2: four layers as packages, dependencies pointing down only, and the two lower layers
 * free of jakarta.* so they run anywhere (plain Java SE, any framework).
 */
class ArchitectureTest {

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.livestore");

    @Test
    void layersDependOnlyDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("store").definedBy("io.livestore.store..")
                .layer("registry").definedBy("io.livestore.registry..")
                .layer("cdi").definedBy("io.livestore.cdi..")
                .layer("jaxrs").definedBy("io.livestore.jaxrs..")
                .layer("sync").definedBy("io.livestore.sync..")
                .whereLayer("sync").mayNotBeAccessedByAnyLayer()
                .whereLayer("jaxrs").mayOnlyBeAccessedByLayers("sync")
                .whereLayer("cdi").mayOnlyBeAccessedByLayers("jaxrs", "sync")
                .whereLayer("registry").mayOnlyBeAccessedByLayers("cdi", "jaxrs", "sync")
                .whereLayer("store").mayOnlyBeAccessedByLayers("registry", "cdi", "jaxrs", "sync")
                .check(MAIN);
    }

    @Test
    void storeAndRegistryUseNoJakartaApi() {
        noClasses().that().resideInAnyPackage("io.livestore.store..", "io.livestore.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "javax.enterprise..", "javax.ws..")
                .because("the store and registry layers are framework-agnostic (DESIGN.md §2)")
                .check(MAIN);
    }

    @Test
    void everyMainClassLivesInALayer() {
        noClasses().should().resideOutsideOfPackages("io.livestore.store..", "io.livestore.registry..",
                        "io.livestore.cdi..", "io.livestore.jaxrs..", "io.livestore.sync..")
                .check(MAIN);
    }
}
