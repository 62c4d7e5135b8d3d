package io.livestore;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §2: the layers as packages, dependencies pointing down only — store at the bottom; registry
 * and sync beside each other on it, neither knowing the other; cdi, then jaxrs on the registry — and
 * store, registry and sync free of jakarta.* so they run anywhere (plain Java SE, any framework). Store
 * and registry never depend on sync: the registry takes an upstream as the store layer's {@code Upstream};
 * only the layers above it (cdi, which builds the upstream from the configuration, and jaxrs) may use sync. A layer's {@code internal} packages serve that layer and the
 * layers above it, never an application (item 17).
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
                .whereLayer("sync").mayOnlyBeAccessedByLayers("cdi", "jaxrs")
                .whereLayer("jaxrs").mayNotBeAccessedByAnyLayer()
                .whereLayer("cdi").mayOnlyBeAccessedByLayers("jaxrs")
                .whereLayer("registry").mayOnlyBeAccessedByLayers("cdi", "jaxrs")
                .whereLayer("store").mayOnlyBeAccessedByLayers("registry", "sync", "cdi", "jaxrs")
                .check(MAIN);
    }

    @Test
    void syncDependsOnTheStoreLayerOnly() {
        classes().that().resideInAPackage("io.livestore.sync..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.livestore.sync..", "io.livestore.store..",
                        "java..", "javax.sql..", "org.postgresql..", "com.zaxxer.hikari..")
                .because("the sync layer stands on the store layer only (DESIGN.md §2): the registry plugs it in "
                        + "through the store layer's Upstream SPI")
                .check(MAIN);
    }

    @Test
    void storeRegistryAndSyncUseNoJakartaApi() {
        noClasses().that().resideInAnyPackage("io.livestore.store..", "io.livestore.registry..", "io.livestore.sync..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "javax.enterprise..", "javax.ws..")
                .because("the store, registry and sync layers are framework-agnostic (DESIGN.md §2)")
                .check(MAIN);
    }

    /**
     * The layers, lowest first: a layer may use its own and lower layers' internal packages (registry
     * and sync share a floor; the layer rule above keeps them apart).
     */
    static final List<String> LAYERS = List.of("store", "registry", "sync", "cdi", "jaxrs");

    @Test
    void internalPackagesAreUsedOnlyByTheirLayerAndHigherOnes() {
        classes().should(new ArchCondition<JavaClass>("use internal packages only of their own or a lower layer") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                int from = layerOf(origin.getPackageName());
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    String target = d.getTargetClass().getPackageName();
                    if (!target.startsWith("io.livestore.") || !(target + ".").contains(".internal.")) {
                        continue;
                    }
                    int to = layerOf(target);
                    if (to < 0 || from < to) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()
                                + ": an internal package is used by its own layer and higher layers only"));
                    }
                }
            }
        }).check(MAIN);
    }

    /** The layer index of a package in the library, -1 for one outside every layer. */
    static int layerOf(String packageName) {
        for (int i = 0; i < LAYERS.size(); i++) {
            String layer = "io.livestore." + LAYERS.get(i);
            if (packageName.equals(layer) || packageName.startsWith(layer + ".")) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void everyMainClassLivesInALayer() {
        noClasses().should().resideOutsideOfPackages("io.livestore.store..", "io.livestore.registry..",
                        "io.livestore.cdi..", "io.livestore.jaxrs..", "io.livestore.sync..")
                .check(MAIN);
    }
}
