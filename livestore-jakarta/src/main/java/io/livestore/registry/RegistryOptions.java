package io.livestore.registry;

import io.livestore.registry.spi.Scheduler;
import io.livestore.registry.spi.StoreLoader;
import io.livestore.store.NodeIdentity;
import io.livestore.store.StoreSettings;
import io.livestore.store.StoreStorage;
import io.livestore.store.spi.Upstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Registry-wide settings and the defaults every definition inherits (R5: registry default, then
 * definition, then call site; the most specific wins).
 *
 * <pre>{@code
 * StoreRegistry registry = new StoreRegistry(RegistryOptions.builder()
 *         .storage(StoreStorage.directory(Path.of("/var/lib/app/stores")))
 *         .defaultUnusedCacheTime(Duration.ofMinutes(5))
 *         .maxLoadedStores(10_000)
 *         .build());
 * }</pre>
 */
public final class RegistryOptions {

    /** The built-in default unusedCacheTime (R5). */
    public static final Duration DEFAULT_UNUSED_CACHE_TIME = Duration.ofSeconds(60);
    /** The built-in default data directory, relative to the working directory. */
    public static final Path DEFAULT_DATA_DIR = Path.of("livestore-data");
    /** The built-in interval of the head check of loaded stores in cluster mode. */
    public static final Duration DEFAULT_UPSTREAM_CHECK_INTERVAL = Duration.ofSeconds(30);

    private final Duration defaultUnusedCacheTime;
    private final StoreStorage storage;
    private final Integer maxLoadedStores;
    private final Executor executor;
    private final ThreadFactory threadFactory;
    private final Scheduler scheduler;
    private final StoreLoader loader;
    private final Duration closeTimeout;
    private final Duration leaseTimeout;
    private final Upstream upstream;
    private final NodeIdentity nodeIdentity;
    private final Duration upstreamCheckInterval;
    private final int maxCommitAttempts;

    private RegistryOptions(Builder b) {
        this.defaultUnusedCacheTime = b.defaultUnusedCacheTime;
        this.storage = b.storage;
        this.maxLoadedStores = b.maxLoadedStores;
        this.executor = b.executor;
        this.threadFactory = b.threadFactory;
        this.scheduler = b.scheduler;
        this.loader = b.loader;
        this.closeTimeout = b.closeTimeout;
        this.leaseTimeout = b.leaseTimeout;
        this.upstream = b.upstream;
        this.nodeIdentity = b.nodeIdentity;
        this.upstreamCheckInterval = b.upstreamCheckInterval;
        this.maxCommitAttempts = b.maxCommitAttempts;
    }

    /** Options with every default. */
    public static RegistryOptions defaults() {
        return builder().build();
    }

    /** Starts building options. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to change some of them: e.g. the options read from configuration
     * with a different scheduler, {@code LiveStoreConfig.registryOptions().toBuilder().scheduler(clock).build()}.
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.defaultUnusedCacheTime = defaultUnusedCacheTime;
        b.storage = storage;
        b.maxLoadedStores = maxLoadedStores;
        b.executor = executor;
        b.threadFactory = threadFactory;
        b.scheduler = scheduler;
        b.loader = loader;
        b.closeTimeout = closeTimeout;
        b.leaseTimeout = leaseTimeout;
        b.upstream = upstream;
        b.nodeIdentity = nodeIdentity;
        b.upstreamCheckInterval = upstreamCheckInterval;
        b.maxCommitAttempts = maxCommitAttempts;
        return b;
    }

    /** unusedCacheTime for definitions that set none. */
    public Duration defaultUnusedCacheTime() {
        return defaultUnusedCacheTime;
    }

    /** Storage for definitions that set none. */
    public StoreStorage storage() {
        return storage;
    }

    /** The bound on loaded stores (R14), if any. */
    public OptionalInt maxLoadedStores() {
        return maxLoadedStores == null ? OptionalInt.empty() : OptionalInt.of(maxLoadedStores);
    }

    /** The executor for loads and closes, or {@code null} for the registry's own pool. */
    public Executor executor() {
        return executor;
    }

    /**
     * The factory of the registry's own threads (its pool and its timer), or {@code null} for plain
     * daemon threads. Inside a Jakarta EE server the CDI layer passes the server's default
     * {@code ManagedThreadFactory}, so the registry's threads carry the application's context.
     */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /** The scheduler, or {@code null} for the registry's own single timer thread. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** How stores are opened. */
    public StoreLoader loader() {
        return loader;
    }

    /** How long {@link StoreRegistry#close()} waits for stores to close (R15). */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** How long {@link StoreLease#store()} waits for a load. */
    public Duration leaseTimeout() {
        return leaseTimeout;
    }

    /** The upstream log of every store (cluster mode, DESIGN.md §8), if any; none: single-node mode. */
    public Optional<Upstream> upstream() {
        return Optional.ofNullable(upstream);
    }

    /** The identity this registry's commits record (its node id), if set; else each definition's own. */
    public Optional<NodeIdentity> nodeIdentity() {
        return Optional.ofNullable(nodeIdentity);
    }

    /** How often the heads of loaded stores are compared with the upstream log (cluster mode, Y5's safety net). */
    public Duration upstreamCheckInterval() {
        return upstreamCheckInterval;
    }

    /** Tries per commit against the upstream log before a {@link io.livestore.store.CommitConflictException}. */
    public int maxCommitAttempts() {
        return maxCommitAttempts;
    }

    /** Builds {@link RegistryOptions}. */
    public static final class Builder {
        private Duration defaultUnusedCacheTime = DEFAULT_UNUSED_CACHE_TIME;
        private StoreStorage storage = StoreStorage.directory(DEFAULT_DATA_DIR);
        private Integer maxLoadedStores;
        private Executor executor;
        private ThreadFactory threadFactory;
        private Scheduler scheduler;
        private StoreLoader loader = StoreLoader.DEFAULT;
        private Duration closeTimeout = Duration.ofSeconds(30);
        private Duration leaseTimeout = Duration.ofSeconds(30);
        private Upstream upstream;
        private NodeIdentity nodeIdentity;
        private Duration upstreamCheckInterval = DEFAULT_UPSTREAM_CHECK_INTERVAL;
        private int maxCommitAttempts = StoreSettings.DEFAULT_MAX_COMMIT_ATTEMPTS;

        private Builder() {
        }

        /** Default 60 s; {@link StoreDefinition#FOREVER} disables disposal for definitions that set nothing. */
        public Builder defaultUnusedCacheTime(Duration time) {
            this.defaultUnusedCacheTime = UnusedCacheTimes.requireValid(time, "registry options");
            return this;
        }

        /** Default: files under {@code ./livestore-data}. */
        public Builder storage(StoreStorage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /** Keep at most this many stores loaded; least recently used unretained ones are disposed first (R14). */
        public Builder maxLoadedStores(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxLoadedStores must be >= 1, was " + max);
            }
            this.maxLoadedStores = max;
            return this;
        }

        /**
         * The executor that runs loads and closes (in Jakarta EE, a managed executor). Default: the
         * registry's own pool of daemon threads, shut down by {@link StoreRegistry#close()}.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The factory of the registry's own threads: the one pool that runs loads and closes (unless an
         * {@link #executor(Executor) executor} is given) and the timer of the default scheduler. Default:
         * plain daemon threads. In Jakarta EE, the server's {@code ManagedThreadFactory}.
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * The clock and timers; default: the registry's own timer thread on the system clock. Tests pass
         * {@code io.livestore.testing.ManualScheduler} (artifact {@code livestore-testing}).
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** How stores are opened; default {@link StoreLoader#DEFAULT}. */
        public Builder loader(StoreLoader loader) {
            this.loader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /** How long closing the registry waits for its stores; default 30 s. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = requirePositive(timeout, "closeTimeout");
            return this;
        }

        /** How long {@link StoreLease#store()} waits; default 30 s. */
        public Builder leaseTimeout(Duration timeout) {
            this.leaseTimeout = requirePositive(timeout, "leaseTimeout");
            return this;
        }

        /**
         * Cluster mode: every store's authoritative log is {@code upstream} (PostgreSQL through
         * {@code io.livestore.sync.PostgresUpstream}) and each local file a cache of it. Commits are appended
         * upstream before they are acknowledged (Y3); loading a store catches it up, and one listener keeps
         * loaded stores current with other nodes' commits (Y4–Y7). The registry listens to it but does not
         * close it: whoever made it does, after the registry.
         */
        public Builder upstream(Upstream upstream) {
            this.upstream = Objects.requireNonNull(upstream, "upstream");
            return this;
        }

        /**
         * The node id this registry's commits record as their clientId (with this process's session id);
         * default each definition's own ({@link NodeIdentity#defaultNodeId()}: host name and process id).
         *
         * @throws IllegalArgumentException an id that is not 1–128 characters of {@code [A-Za-z0-9._:-]}
         */
        public Builder nodeId(String nodeId) {
            this.nodeIdentity = NodeIdentity.of(nodeId);
            return this;
        }

        /** How often loaded stores' heads are checked against the upstream log; default 30 s. */
        public Builder upstreamCheckInterval(Duration interval) {
            this.upstreamCheckInterval = requirePositive(interval, "upstreamCheckInterval");
            return this;
        }

        /** Tries per commit against the upstream log, at least 1; default {@value StoreSettings#DEFAULT_MAX_COMMIT_ATTEMPTS}. */
        public Builder maxCommitAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxCommitAttempts must be >= 1, was " + attempts);
            }
            this.maxCommitAttempts = attempts;
            return this;
        }

        private static Duration requirePositive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }

        /** The options. */
        public RegistryOptions build() {
            return new RegistryOptions(this);
        }
    }
}
