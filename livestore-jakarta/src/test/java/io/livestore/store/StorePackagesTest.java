package io.livestore.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store layer's public API ({@code io.livestore.store}) against its implementation ({@code .internal}). */
class StorePackagesTest {

    static final String INTERNAL = "io.livestore.store.internal";

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.livestore");

    @Test
    void thePublicApiExposesNoInternalType() {
        List<String> leaks = new ArrayList<>();
        for (JavaClass c : MAIN) {
            if (!c.getPackageName().equals("io.livestore.store") || !c.getModifiers().contains(JavaModifier.PUBLIC)) {
                continue;
            }
            for (JavaMember m : c.getMembers()) {
                if (!m.getModifiers().contains(JavaModifier.PUBLIC) && !m.getModifiers().contains(JavaModifier.PROTECTED)) {
                    continue;
                }
                List<JavaClass> types = new ArrayList<>();
                if (m instanceof JavaField f) {
                    types.add(f.getRawType());
                } else if (m instanceof JavaCodeUnit u) {
                    types.add(u.getRawReturnType());
                    types.addAll(u.getRawParameterTypes());
                }
                for (JavaClass t : types) {
                    if (t.getPackageName().startsWith(INTERNAL)) {
                        leaks.add(m.getFullName() + " uses " + t.getName());
                    }
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void theUpperLayersUseTheStoreThroughItsApi() {
        noClasses().that().resideInAnyPackage("io.livestore.jaxrs..")
                .and().resideOutsideOfPackage("io.livestore.jaxrs.internal.sync")
                .should().dependOnClassesThat().resideInAPackage(INTERNAL + "..")
                .because("the JAX-RS layer uses the store's public API only")
                .check(MAIN);
        noClasses().that().resideInAPackage("io.livestore.jaxrs.internal.sync")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage(INTERNAL + "..")
                        .and(DescribedPredicate.not(HasName.Predicates.nameStartingWith(INTERNAL + ".LocalLog")))
                        .and(DescribedPredicate.not(HasName.Predicates.name(INTERNAL + ".EventIds"))))
                .because("the LiveStore sync endpoint reads and writes a store's log as the registry does, through "
                        + "LocalLog (and gives pushed events their ids), and uses the public API otherwise")
                .check(MAIN);
        noClasses().that().resideInAnyPackage("io.livestore.registry..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage(INTERNAL + "..")
                        .and(DescribedPredicate.not(HasName.Predicates.name(INTERNAL + ".LocalLog"))))
                .because("the registry uses the store's public API, and in cluster mode a loaded store's local log "
                        + "(LocalLog, the one entry point the store layer gives the registry and sync layers)")
                .check(MAIN);
        noClasses().that().resideInAPackage("io.livestore.cdi..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage(INTERNAL + "..")
                        .and(DescribedPredicate.not(HasName.Predicates.name(INTERNAL + ".SqliteConnections"))))
                .because("the CDI layer only deregisters the SQLite driver at shutdown")
                .check(MAIN);
    }

    @Test
    void onlyTheApiClassesRegisterTheirAccess() {
        Query.of(String.class, "SELECT 1"); // initialized: registered
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> io.livestore.store.internal.ApiAccess.register(new io.livestore.store.internal.ApiAccess.QueryParts() {
                    @Override
                    public Object[] args(Query<?> query) {
                        return new Object[0];
                    }

                    @Override
                    public io.livestore.store.internal.RowReader<?> rowReader(Query<?> query) {
                        return null;
                    }

                    @Override
                    public boolean firstOnly(Query<?> query) {
                        return false;
                    }
                }));
        assertTrue(e.getMessage().startsWith("LIVESTORE-0199: only io.livestore.store.Query registers"), e.getMessage());
    }
}
