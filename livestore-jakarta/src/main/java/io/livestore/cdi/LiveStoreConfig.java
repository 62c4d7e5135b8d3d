package io.livestore.cdi;

import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.store.StoreStorage;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * The configuration keys (README, "Configuration"), read from MicroProfile Config when the
 * application has it, else from system properties, else from environment variables
 * ({@code LIVESTORE_DATA_DIR} for {@code livestore.data-dir}). MicroProfile Config is looked up
 * reflectively so the library does not require it.
 */
public final class LiveStoreConfig {

    /** Directory of the store files. */
    public static final String DATA_DIR = "livestore.data-dir";
    /** {@code files} (default) or {@code memory}. */
    public static final String STORAGE = "livestore.storage";
    /** Default unusedCacheTime: ISO-8601 ({@code PT2M}), or a number with unit ({@code 90s}, {@code 2m}, {@code 500ms}), or {@code forever}. */
    public static final String UNUSED_CACHE_TIME = "livestore.unused-cache-time";
    /** Bound on loaded stores (R14). */
    public static final String MAX_STORES = "livestore.max-stores";
    /** Deadline for closing all stores at shutdown (R15). */
    public static final String CLOSE_TIMEOUT = "livestore.close-timeout";
    /** How long a lease waits for a load. */
    public static final String LEASE_TIMEOUT = "livestore.lease-timeout";
    /** How long the JAX-RS filter waits for a request's stores before answering 503. */
    public static final String PRELOAD_TIMEOUT = "livestore.preload-timeout";

    private LiveStoreConfig() {
    }

    /** The raw value of a key, if set anywhere. */
    public static Optional<String> value(String key) {
        Optional<String> fromMp = microProfile(key);
        if (fromMp.isPresent()) {
            return fromMp;
        }
        String property = System.getProperty(key);
        if (property != null && !property.isBlank()) {
            return Optional.of(property.strip());
        }
        String env = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(env.strip());
    }

    @SuppressWarnings("unchecked")
    private static Optional<String> microProfile(String key) {
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> provider = Class.forName("org.eclipse.microprofile.config.ConfigProvider", false,
                    loader != null ? loader : LiveStoreConfig.class.getClassLoader());
            Class<?> configType = Class.forName("org.eclipse.microprofile.config.Config", false, provider.getClassLoader());
            Object config = provider.getMethod("getConfig").invoke(null);
            Method get = configType.getMethod("getOptionalValue", String.class, Class.class);
            return (Optional<String>) get.invoke(config, key, String.class);
        } catch (ClassNotFoundException | LinkageError absent) {
            return Optional.empty(); // no MicroProfile Config in this application
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("LIVESTORE-0330: reading " + key + " from MicroProfile Config failed: "
                    + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    /** Registry options from the keys, with {@link RegistryOptions} defaults for the rest. */
    public static RegistryOptions registryOptions() {
        RegistryOptions.Builder b = RegistryOptions.builder();
        String storage = value(STORAGE).orElse("files");
        if (storage.equalsIgnoreCase("memory")) {
            b.storage(StoreStorage.inMemory());
        } else if (storage.equalsIgnoreCase("files")) {
            b.storage(StoreStorage.directory(Path.of(value(DATA_DIR).orElse(RegistryOptions.DEFAULT_DATA_DIR.toString()))));
        } else {
            throw invalid(STORAGE, storage, "'files' or 'memory'");
        }
        value(UNUSED_CACHE_TIME).ifPresent(v -> b.defaultUnusedCacheTime(duration(UNUSED_CACHE_TIME, v)));
        value(MAX_STORES).ifPresent(v -> {
            try {
                b.maxLoadedStores(Integer.parseInt(v));
            } catch (IllegalArgumentException e) {
                throw invalid(MAX_STORES, v, "a positive whole number");
            }
        });
        value(CLOSE_TIMEOUT).ifPresent(v -> b.closeTimeout(duration(CLOSE_TIMEOUT, v)));
        value(LEASE_TIMEOUT).ifPresent(v -> b.leaseTimeout(duration(LEASE_TIMEOUT, v)));
        return b.build();
    }

    /** The preload deadline of the JAX-RS filter; default 10 s. */
    public static Duration preloadTimeout() {
        return value(PRELOAD_TIMEOUT).map(v -> duration(PRELOAD_TIMEOUT, v)).orElse(Duration.ofSeconds(10));
    }

    /** Parses a duration value as described for {@link #UNUSED_CACHE_TIME}. */
    public static Duration duration(String key, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("forever") || v.equals("infinity")) {
            return StoreDefinition.FOREVER;
        }
        try {
            if (v.startsWith("p")) {
                return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).strip()));
            }
            char unit = v.charAt(v.length() - 1);
            long n = Long.parseLong(v.substring(0, v.length() - 1).strip());
            switch (unit) {
                case 's':
                    return Duration.ofSeconds(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 'h':
                    return Duration.ofHours(n);
                default:
                    break;
            }
        } catch (DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
            // fall through to the error below
        }
        throw invalid(key, value, "an ISO-8601 duration (PT2M), a number with ms/s/m/h (90s), or 'forever'");
    }

    private static IllegalArgumentException invalid(String key, String value, String expected) {
        return new IllegalArgumentException("LIVESTORE-0330: configuration " + key + "='" + value + "' is invalid; expected "
                + expected);
    }
}
