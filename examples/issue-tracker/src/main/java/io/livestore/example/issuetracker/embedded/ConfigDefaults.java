package io.livestore.example.issuetracker.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Locale;
import java.util.Properties;

/**
 * The application's {@code META-INF/microprofile-config.properties} for the embedded run. On a server
 * MicroProfile Config reads that file; Weld SE has no MicroProfile Config, and the library then reads system
 * properties and the environment only. So each key of the file becomes a system property unless a system
 * property or an environment variable sets it already — the precedence MicroProfile Config gives the file
 * (lowest). One file for both runtimes.
 */
final class ConfigDefaults {

    static final String FILE = "META-INF/microprofile-config.properties";

    private ConfigDefaults() {
    }

    /** Applies the file found by this class's loader (the application's own); nothing if there is none. */
    static void apply() {
        URL file = ConfigDefaults.class.getClassLoader().getResource(FILE);
        if (file == null) {
            return;
        }
        Properties defaults = new Properties();
        try (InputStream in = file.openStream()) {
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (String key : defaults.stringPropertyNames()) {
            if (System.getProperty(key) == null && System.getenv(environmentName(key)) == null) {
                System.setProperty(key, defaults.getProperty(key));
            }
        }
    }

    /** The environment variable MicroProfile Config (and the library) reads for a key: {@code LIVESTORE_SYNC_DEFINITIONS}. */
    private static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
