package io.livestore.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.cdi.internal.ConfigValues;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.store.StoreStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Configuration through MicroProfile Config (SmallRye Config core is on the test class path; the test
 * resources' {@code META-INF/microprofile-config.properties} is one of its sources). The path without
 * MicroProfile Config: {@code ConfigWithoutMicroProfileTest}.
 */
class LiveStoreConfigTest {

    @AfterEach
    void clear() {
        for (String key : new String[] {"livestore.test.overridden", "livestore.test.blank", LiveStoreConfig.DATA_DIR,
                LiveStoreConfig.SSE_HEARTBEAT, LiveStoreConfig.UNUSED_CACHE_TIME, LiveStoreConfig.STORAGE}) {
            System.clearProperty(key);
        }
    }

    @Test
    void readsThroughMicroProfileConfigWhenItIsThere() {
        assertTrue(ConfigValues.fromMicroProfile());
        // Only MicroProfile Config reads this file: the fallback knows system properties and environment only.
        assertEquals(Optional.of("file"), LiveStoreConfig.value("livestore.test.from-file"));
    }

    @Test
    void microProfilePrecedenceApplies() {
        assertEquals(Optional.of("file"), LiveStoreConfig.value("livestore.test.overridden"));
        System.setProperty("livestore.test.overridden", " property ");
        assertEquals(Optional.of("property"), LiveStoreConfig.value("livestore.test.overridden"),
                "system properties (ordinal 400) over microprofile-config.properties (100)");
        System.setProperty("livestore.test.blank", "  ");
        assertEquals(Optional.empty(), LiveStoreConfig.value("livestore.test.blank"));
    }

    @Test
    void theApplicationReadsDurationsInTheLibrarysForms() {
        Config config = ConfigProvider.getConfig();
        assertEquals(Duration.ofSeconds(90), config.getValue("livestore.test.duration", Duration.class));
        assertEquals(StoreDefinition.FOREVER, config.getValue("livestore.test.forever", Duration.class));
        assertEquals(Duration.ofMinutes(2), config.getValue("livestore.test.iso", Duration.class));
    }

    @Test
    void durationKeysReadEveryForm() {
        System.setProperty(LiveStoreConfig.SSE_HEARTBEAT, "500ms");
        assertEquals(Duration.ofMillis(500), LiveStoreConfig.sseHeartbeat());
        System.setProperty(LiveStoreConfig.UNUSED_CACHE_TIME, "forever");
        assertEquals(StoreDefinition.FOREVER, LiveStoreConfig.registryOptions().defaultUnusedCacheTime());
        System.setProperty(LiveStoreConfig.UNUSED_CACHE_TIME, "PT2M");
        assertEquals(Duration.ofMinutes(2), LiveStoreConfig.registryOptions().defaultUnusedCacheTime());
        System.clearProperty(LiveStoreConfig.SSE_HEARTBEAT);
        assertEquals(Duration.ofSeconds(15), LiveStoreConfig.sseHeartbeat(), "default");
    }

    @Test
    void anInvalidValueNamesItsKeyAndWhatWasExpected() {
        System.setProperty(LiveStoreConfig.SSE_HEARTBEAT, "often");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, LiveStoreConfig::sseHeartbeat);
        assertEquals("LIVESTORE-0330: configuration livestore.sse-heartbeat='often' is invalid; expected an ISO-8601 "
                + "duration (PT2M), a whole number with ms, s, m, h or d (90s), or 'forever'", e.getMessage());
        System.setProperty(LiveStoreConfig.STORAGE, "cloud");
        assertThrows(IllegalArgumentException.class, LiveStoreConfig::registryOptions);
    }

    @Test
    void theDataDirectoryIsTheConfiguredOneElseTheDefaultAbsolute() {
        assertEquals(LiveStoreConfig.defaultDataDirectory(), LiveStoreConfig.dataDirectory());
        assertEquals(Path.of("livestore-data").toAbsolutePath(), LiveStoreConfig.defaultDataDirectory(), "not in a server");
        System.setProperty(LiveStoreConfig.DATA_DIR, "some/stores");
        assertEquals(Path.of("some/stores").toAbsolutePath(), LiveStoreConfig.dataDirectory());
        RegistryOptions options = LiveStoreConfig.registryOptions();
        assertEquals(StoreStorage.directory(Path.of("some/stores").toAbsolutePath()), options.storage());
    }
}
