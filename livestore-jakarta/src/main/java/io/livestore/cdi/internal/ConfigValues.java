package io.livestore.cdi.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * Where configuration values come from: MicroProfile Config when it is on the application's class
 * path (both supported servers ship it), else system properties, then environment variables
 * ({@code LIVESTORE_DATA_DIR} for {@code livestore.data-dir}).
 *
 * <p>With MicroProfile Config only its answer counts: it already reads system properties and the
 * environment itself, with the precedence the application configured. The API is linked only after
 * a class-presence check, so the library runs without it (e.g. in Weld SE).
 */
public final class ConfigValues {

    private static final System.Logger LOG = System.getLogger(ConfigValues.class.getName());

    /** Whether this library's class loader sees the MicroProfile Config API; fixed for its lifetime. */
    private static final boolean MICROPROFILE_ON_CLASS_PATH = microProfileVisible();

    private ConfigValues() {
    }

    /** The value of {@code key}, stripped, if set; blank counts as unset. */
    public static Optional<String> get(String key) {
        Optional<String> value = MICROPROFILE_ON_CLASS_PATH ? MicroProfileValues.get(key).orElseGet(() -> systemOrEnv(key))
                : systemOrEnv(key);
        return value.map(String::strip).filter(v -> !v.isEmpty());
    }

    /** Whether values come from MicroProfile Config (for the startup log and tests). */
    public static boolean fromMicroProfile() {
        return MICROPROFILE_ON_CLASS_PATH && MicroProfileValues.available();
    }

    /** The fallback without MicroProfile Config: system property, then environment variable. */
    static Optional<String> systemOrEnv(String key) {
        String property = System.getProperty(key);
        if (property != null && !property.isBlank()) {
            return Optional.of(property);
        }
        return Optional.ofNullable(System.getenv(environmentName(key)));
    }

    /** {@code livestore.data-dir} → {@code LIVESTORE_DATA_DIR}, as MicroProfile Config maps names too. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static boolean microProfileVisible() {
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false, ConfigValues.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            LOG.log(System.Logger.Level.DEBUG, "no MicroProfile Config: reading system properties and environment");
            return false;
        }
    }
}
