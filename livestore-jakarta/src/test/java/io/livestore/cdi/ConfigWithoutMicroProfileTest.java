package io.livestore.cdi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The library without MicroProfile Config on its class path: {@link LiveStoreConfig} loaded by a class
 * loader that sees the test class path minus the MicroProfile Config API and SmallRye Config. It must
 * load, link and read system properties, then the environment; the MicroProfile-only file source is
 * not read.
 */
class ConfigWithoutMicroProfileTest {

    @Test
    void readsSystemPropertiesThenEnvironment() throws Exception {
        try (URLClassLoader withoutMicroProfile = classPathWithout("microprofile-config-api", "smallrye-config")) {
            assertThrows(ClassNotFoundException.class,
                    () -> Class.forName("org.eclipse.microprofile.config.ConfigProvider", false, withoutMicroProfile));
            Class<?> config = Class.forName(LiveStoreConfig.class.getName(), true, withoutMicroProfile);
            Method value = config.getMethod("value", String.class);
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            thread.setContextClassLoader(withoutMicroProfile);
            System.setProperty("livestore.test.fallback", " from-property ");
            System.setProperty(LiveStoreConfig.SSE_HEARTBEAT, "90s");
            try {
                assertEquals(Optional.of("from-property"), value.invoke(null, "livestore.test.fallback"));
                assertEquals(Optional.empty(), value.invoke(null, "livestore.test.from-file"),
                        "microprofile-config.properties is MicroProfile Config's source, not the fallback's");
                // The environment after system properties, by the same name mapping as MicroProfile Config.
                assertEquals(Optional.ofNullable(System.getenv("PATH")).map(String::strip), value.invoke(null, "path"));
                System.setProperty("path", "property wins");
                assertEquals(Optional.of("property wins"), value.invoke(null, "path"));
                assertEquals(Duration.ofSeconds(90), config.getMethod("sseHeartbeat").invoke(null));
                Class<?> values = Class.forName("io.livestore.cdi.internal.ConfigValues", true, withoutMicroProfile);
                assertEquals(false, values.getMethod("fromMicroProfile").invoke(null));
            } catch (InvocationTargetException e) {
                throw (Exception) e.getCause();
            } finally {
                thread.setContextClassLoader(before);
                System.clearProperty("livestore.test.fallback");
                System.clearProperty(LiveStoreConfig.SSE_HEARTBEAT);
                System.clearProperty("path");
            }
        }
    }

    @Test
    void onlyTheGuardedClassesLinkAgainstMicroProfileConfig() {
        noClasses().that().doNotHaveSimpleName("MicroProfileValues").and().doNotHaveSimpleName("DurationConverter")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.microprofile..")
                .because("the library must run without MicroProfile Config; ConfigValues checks it is there first")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.livestore"));
    }

    private static URLClassLoader classPathWithout(String... hidden) throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            boolean hide = false;
            for (String h : hidden) {
                hide |= name.startsWith(h);
            }
            if (!hide) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
