package io.livestore.cdi;

import io.livestore.cdi.internal.ClusterSettings;
import io.livestore.cdi.internal.ConfigValues;
import io.livestore.cdi.internal.DefaultDataDirectory;
import io.livestore.cdi.internal.DurationText;
import io.livestore.registry.RegistryOptions;
import io.livestore.store.StoreStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every configuration key of the library (README, "Configuration"), and how they are read: through
 * MicroProfile Config when the application has it (WildFly and Payara do), so any of its sources
 * works (system properties, environment, {@code META-INF/microprofile-config.properties}, the
 * server's own); else from system properties, then environment variables ({@code LIVESTORE_DATA_DIR}
 * for {@code livestore.data-dir}). MicroProfile Config is optional: without it on the class path the
 * library reads the fallback sources only.
 *
 * <p>Durations are ISO-8601 ({@code PT2M}), a whole number with a unit ({@code 500ms}, {@code 90s},
 * {@code 2m}, {@code 1h}, {@code 1d}), or {@code forever}. The library registers a MicroProfile Config
 * converter for {@link Duration} that reads the same forms, so an application can read its own keys
 * alike: {@code config.getValue("app.timeout", Duration.class)}.
 */
public final class LiveStoreConfig {

    /**
     * Directory of the store files. Default: inside the server's data directory on WildFly
     * ({@code <jboss.server.data.dir>/livestore}) and Payara ({@code <com.sun.aas.instanceRoot>/data/livestore}),
     * else {@code livestore-data} in the working directory; see {@link #defaultDataDirectory()}.
     */
    public static final String DATA_DIR = "livestore.data-dir";
    /** {@code files} (default) or {@code memory}. */
    public static final String STORAGE = "livestore.storage";
    /** Default unusedCacheTime, a duration. */
    public static final String UNUSED_CACHE_TIME = "livestore.unused-cache-time";
    /** Bound on loaded stores (R14). */
    public static final String MAX_STORES = "livestore.max-stores";
    /** Deadline for closing all stores at shutdown (R15). */
    public static final String CLOSE_TIMEOUT = "livestore.close-timeout";
    /** How long a lease waits for a load. */
    public static final String LEASE_TIMEOUT = "livestore.lease-timeout";
    /** How long the JAX-RS filter waits for a request's stores before answering 503. */
    public static final String PRELOAD_TIMEOUT = "livestore.preload-timeout";
    /** How often a live query (SSE) sends a heartbeat comment to notice a client that went away. */
    public static final String SSE_HEARTBEAT = "livestore.sse-heartbeat";
    /**
     * Where LiveStore JavaScript clients connect by WebSocket, relative to the application's context root:
     * {@code <path>/<definition>}; default {@code /livestore}. Read once, when the application starts.
     */
    public static final String SYNC_PATH = "livestore.sync.path";

    /**
     * The definitions whose stores LiveStore JavaScript clients may sync through the sync endpoint
     * (README, "LiveStore clients"), comma-separated names; none by default, so the endpoint refuses
     * every connection until an application opens a definition.
     */
    public static final String SYNC_DEFINITIONS = "livestore.sync.definitions";

    /**
     * Cluster mode on a server: the JNDI name of the PostgreSQL DataSource of the shared log (README,
     * "Cluster mode on a server"). Not together with {@link #CLUSTER_JDBC_URL}.
     */
    public static final String CLUSTER_DATASOURCE = ClusterSettings.DATASOURCE;
    /** Optional with {@link #CLUSTER_DATASOURCE}: the JNDI name of a non-pooled DataSource for the LISTEN connection. */
    public static final String CLUSTER_LISTEN_DATASOURCE = ClusterSettings.LISTEN_DATASOURCE;
    /** Cluster mode without a server's DataSource: {@code jdbc:postgresql://...}, pooled by HikariCP. */
    public static final String CLUSTER_JDBC_URL = ClusterSettings.JDBC_URL;
    /** The database user of {@link #CLUSTER_JDBC_URL}. */
    public static final String CLUSTER_USER = ClusterSettings.USER;
    /** The password of {@link #CLUSTER_USER}. */
    public static final String CLUSTER_PASSWORD = ClusterSettings.PASSWORD;
    /** What this node's commits record as their clientId; default host name and process id. */
    public static final String NODE_ID = ClusterSettings.NODE_ID;
    /** How often loaded stores' heads are checked against the shared log, a duration; default 30 s. */
    public static final String CLUSTER_CHECK_INTERVAL = ClusterSettings.CHECK_INTERVAL;
    /** Tries per commit when other nodes come first; default 5. */
    public static final String CLUSTER_MAX_COMMIT_ATTEMPTS = ClusterSettings.MAX_COMMIT_ATTEMPTS;

    private static final Duration DEFAULT_PRELOAD_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_SSE_HEARTBEAT = Duration.ofSeconds(15);

    private LiveStoreConfig() {
    }

    /** The raw value of a key, stripped, if set (blank counts as unset). */
    public static Optional<String> value(String key) {
        return ConfigValues.get(key);
    }

    /**
     * Registry options from the keys, with {@link RegistryOptions} defaults for the rest. The node id and
     * the cluster's tuning keys are set here; the upstream itself is not (it holds connections): the
     * registry the library provides opens it when a cluster key names one and the options have none.
     */
    public static RegistryOptions registryOptions() {
        RegistryOptions.Builder b = RegistryOptions.builder();
        String storage = value(STORAGE).orElse("files");
        if (storage.equalsIgnoreCase("memory")) {
            b.storage(StoreStorage.inMemory());
        } else if (storage.equalsIgnoreCase("files")) {
            b.storage(StoreStorage.directory(dataDirectory()));
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
        ClusterSettings cluster = clusterSettings();
        cluster.nodeId().ifPresent(b::nodeId);
        cluster.checkInterval().ifPresent(b::upstreamCheckInterval);
        cluster.maxCommitAttempts().ifPresent(b::maxCommitAttempts);
        return b.build();
    }

    /** The cluster keys, checked; the first problem (with its id) as an IllegalArgumentException. */
    static ClusterSettings clusterSettings() {
        return ClusterSettings.read();
    }

    /** The directory of the store files: {@value #DATA_DIR} if set, else {@link #defaultDataDirectory()}; absolute. */
    public static Path dataDirectory() {
        return value(DATA_DIR).map(v -> Path.of(v).toAbsolutePath()).orElseGet(LiveStoreConfig::defaultDataDirectory);
    }

    /**
     * Where the store files go when {@value #DATA_DIR} is not set, absolute: on WildFly
     * {@code <jboss.server.data.dir>/livestore}, on Payara {@code <com.sun.aas.instanceRoot>/data/livestore},
     * elsewhere {@link RegistryOptions#DEFAULT_DATA_DIR} in the working directory.
     */
    public static Path defaultDataDirectory() {
        return DefaultDataDirectory.get();
    }

    /** The preload deadline of the JAX-RS filter; default 10 s. */
    public static Duration preloadTimeout() {
        return durationOf(PRELOAD_TIMEOUT, DEFAULT_PRELOAD_TIMEOUT);
    }

    /** The heartbeat interval of live queries; default 15 s. */
    public static Duration sseHeartbeat() {
        return durationOf(SSE_HEARTBEAT, DEFAULT_SSE_HEARTBEAT);
    }

    /** Parses {@code value} of {@code key} as a duration in one of the forms above. */
    public static Duration duration(String key, String value) {
        return DurationText.parse(value).orElseThrow(() -> invalid(key, value, DurationText.EXPECTED));
    }

    private static Duration durationOf(String key, Duration otherwise) {
        return value(key).map(v -> duration(key, v)).orElse(otherwise);
    }

    private static IllegalArgumentException invalid(String key, String value, String expected) {
        return new IllegalArgumentException("LIVESTORE-0330: configuration " + key + "='" + value + "' is invalid; expected "
                + expected);
    }
}
