package io.livestore.cdi.internal;

import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The only class linked against MicroProfile Config; loaded only after {@link ConfigValues} saw the
 * API on the class path.
 */
final class MicroProfileValues {

    private static final System.Logger LOG = System.getLogger(MicroProfileValues.class.getName());

    private MicroProfileValues() {
    }

    /**
     * The answer of the application's {@link Config} (the one of the thread's context class loader, as
     * MicroProfile Config defines): the inner optional is the value, if set. The outer one is empty when
     * the API is there without an implementation; the caller then falls back as without the API.
     */
    static Optional<Optional<String>> get(String key) {
        Config config = config();
        return config == null ? Optional.empty() : Optional.of(config.getOptionalValue(key, String.class));
    }

    static boolean available() {
        return config() != null;
    }

    private static Config config() {
        try {
            return ConfigProvider.getConfig();
        } catch (IllegalStateException | java.util.ServiceConfigurationError noImplementation) {
            // The API jar without an implementation: behave as without MicroProfile Config.
            LOG.log(System.Logger.Level.DEBUG, () -> "MicroProfile Config API without an implementation: " + noImplementation);
            return null;
        }
    }
}
