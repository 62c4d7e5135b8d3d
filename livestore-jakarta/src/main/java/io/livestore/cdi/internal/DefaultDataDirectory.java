package io.livestore.cdi.internal;

import io.livestore.registry.RegistryOptions;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where stores go when {@code livestore.data-dir} is not set: inside the server's own data directory
 * on the servers that announce a durable one, so that the files are found (and backed up) with the
 * server's other data instead of wherever the server happened to be started from.
 *
 * <ul>
 *   <li>WildFly: {@code <jboss.server.data.dir>/livestore} (e.g. {@code standalone/data/livestore});
 *   <li>Payara Server (and GlassFish): {@code <com.sun.aas.instanceRoot>/data/livestore}, in the domain
 *       directory; Payara Micro started with {@code --rootdir}: {@code <rootdir>/data/livestore};
 *   <li>Payara Micro without {@code --rootdir}: its instance root is a temporary directory
 *       ({@code payaramicro-rt…tmp}) that it deletes when it stops, so stores there would be lost at
 *       every restart; the working directory's {@link RegistryOptions#DEFAULT_DATA_DIR} instead, with a
 *       warning to set {@code livestore.data-dir} or {@code --rootdir};
 *   <li>elsewhere: {@link RegistryOptions#DEFAULT_DATA_DIR} under the working directory.
 * </ul>
 */
public final class DefaultDataDirectory {

    /** WildFly's data directory, set by the server at boot. */
    static final String WILDFLY_DATA_DIR = "jboss.server.data.dir";
    /** Payara's (GlassFish's) instance directory, set by the server at boot. */
    static final String PAYARA_INSTANCE_ROOT = "com.sun.aas.instanceRoot";

    private static final System.Logger LOG = System.getLogger(DefaultDataDirectory.class.getName());

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
            Path root = Path.of(payara).toAbsolutePath();
            if (!isPayaraMicroTemporaryRoot(root)) {
                return root.resolve("data").resolve("livestore");
            }
            Path fallback = RegistryOptions.DEFAULT_DATA_DIR.toAbsolutePath();
            LOG.log(System.Logger.Level.WARNING, "Payara Micro runs in a temporary directory ({0}) that it deletes when it"
                    + " stops; LiveStore keeps its stores in {1} instead. Set livestore.data-dir, or start Payara Micro"
                    + " with --rootdir to keep them in <rootdir>/data/livestore.", root, fallback);
            return fallback;
        }
        return RegistryOptions.DEFAULT_DATA_DIR.toAbsolutePath();
    }

    /** Payara Micro names its temporary runtime directory {@code payaramicro-rt<number>tmp} (File.createTempFile). */
    static boolean isPayaraMicroTemporaryRoot(Path root) {
        Path name = root.getFileName();
        return name != null && name.toString().startsWith("payaramicro-") && name.toString().endsWith("tmp");
    }
}
