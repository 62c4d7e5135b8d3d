package io.livestore.cdi.internal;

import io.livestore.registry.RegistryOptions;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where stores go when {@code livestore.data-dir} is not set: inside the server's own data directory
 * on the servers that announce one, so that the files are found (and backed up) with the server's
 * other data instead of wherever the server happened to be started from.
 *
 * <ul>
 *   <li>WildFly: {@code <jboss.server.data.dir>/livestore} (e.g. {@code standalone/data/livestore});
 *   <li>Payara Server and Payara Micro (and GlassFish): {@code <com.sun.aas.instanceRoot>/data/livestore}
 *       (a domain directory, or Payara Micro's root directory, {@code --rootdir});
 *   <li>elsewhere: {@link RegistryOptions#DEFAULT_DATA_DIR} under the working directory.
 * </ul>
 */
public final class DefaultDataDirectory {

    /** WildFly's data directory, set by the server at boot. */
    static final String WILDFLY_DATA_DIR = "jboss.server.data.dir";
    /** Payara's (GlassFish's) instance directory, set by the server at boot. */
    static final String PAYARA_INSTANCE_ROOT = "com.sun.aas.instanceRoot";

    private DefaultDataDirectory() {
    }

    /** The default for this JVM, absolute. */
    public static Path get() {
        return of(System.getProperties());
    }

    /** The default for a JVM with these system properties, absolute. */
    static Path of(Properties system) {
        String wildfly = system.getProperty(WILDFLY_DATA_DIR);
        if (wildfly != null && !wildfly.isBlank()) {
            return Path.of(wildfly, "livestore").toAbsolutePath();
        }
        String payara = system.getProperty(PAYARA_INSTANCE_ROOT);
        if (payara != null && !payara.isBlank()) {
            return Path.of(payara, "data", "livestore").toAbsolutePath();
        }
        return RegistryOptions.DEFAULT_DATA_DIR.toAbsolutePath();
    }
}
