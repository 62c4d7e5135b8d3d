package io.livestore.store;

import io.livestore.store.spi.Upstream;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * How the stores of one kind are opened: definition name, schema, storage, durability, boot hook,
 * rebuild batch size, clock and the node identity its commits record — checked once, here. Immutable and thread-safe. A {@link StoreOpener}
 * opens stores with it, and a registry's store definition holds one, so both share one set of fields
 * and one validation.
 *
 * <pre>{@code
 * StoreSettings<IssueSchema> settings = StoreSettings.builder("issue", CompiledSchema.of(IssueSchema.class))
 *         .storage(StoreStorage.directory(Path.of("data")))
 *         .durability(Durability.POWER_LOSS)
 *         .build();
 * StoreOpener<IssueSchema> opener = StoreOpener.of(settings);
 * }</pre>
 *
 * @param <S> the schema
 */
public final class StoreSettings<S extends Schema> {

    /** Events replayed per batch during a rebuild; cancellation is checked between batches. */
    public static final int DEFAULT_REBUILD_BATCH_SIZE = 1_000;
    /** Attempts of a commit against an upstream log before it gives up on conflicts (Y3). */
    public static final int DEFAULT_MAX_COMMIT_ATTEMPTS = 5;

    private final String definitionName;
    private final CompiledSchema<S> schema;
    private final StoreStorage storage;
    private final Durability durability;
    private final OnBoot<S> onBoot;
    private final int rebuildBatchSize;
    private final Clock clock;
    private final NodeIdentity nodeIdentity;
    private final Upstream upstream;
    private final int maxCommitAttempts;

    private StoreSettings(String definitionName, CompiledSchema<S> schema, StoreStorage storage, Durability durability,
                          OnBoot<S> onBoot, int rebuildBatchSize, Clock clock, NodeIdentity nodeIdentity,
                          Upstream upstream, int maxCommitAttempts) {
        this.definitionName = definitionName;
        this.schema = schema;
        this.storage = storage;
        this.durability = durability;
        this.onBoot = onBoot;
        this.rebuildBatchSize = rebuildBatchSize;
        this.clock = clock;
        this.nodeIdentity = nodeIdentity;
        this.upstream = upstream;
        this.maxCommitAttempts = maxCommitAttempts;
    }

    /**
     * Starts settings for a kind of store.
     *
     * @param definitionName 1–128 characters of {@code [A-Za-z0-9._:-]}; also the store folder's name
     * @param schema         the compiled schema
     */
    public static <S extends Schema> Builder<S> builder(String definitionName, CompiledSchema<S> schema) {
        return new Builder<>(definitionName, schema);
    }

    /** The definition name: the folder of this kind of store in the data directory. */
    public String definitionName() {
        return definitionName;
    }

    /** The compiled schema. */
    public CompiledSchema<S> schema() {
        return schema;
    }

    /** Where stores are kept, if set; a {@link StoreOpener} keeps them in memory when not. */
    public Optional<StoreStorage> storage() {
        return Optional.ofNullable(storage);
    }

    /** The durability of commits; default {@link Durability#PROCESS_CRASH}. */
    public Durability durability() {
        return durability;
    }

    /** The hook run after each open (and rebuild), before a store is handed out; default none. */
    public OnBoot<S> onBoot() {
        return onBoot;
    }

    /** Events per rebuild batch; default {@value #DEFAULT_REBUILD_BATCH_SIZE}. */
    public int rebuildBatchSize() {
        return rebuildBatchSize;
    }

    /** The clock that timestamps commits; default the UTC system clock. */
    public Clock clock() {
        return clock;
    }

    /**
     * Who this node's commits say wrote them (their {@code clientId} and {@code sessionId}); default
     * {@link NodeIdentity#ofThisProcess()}.
     */
    public NodeIdentity nodeIdentity() {
        return nodeIdentity;
    }

    /**
     * The upstream log of these stores (cluster mode, DESIGN.md §8), if any: a commit is then appended to
     * it before it is acknowledged (Y3). Without one the local file is the authority (single-node mode).
     */
    public Optional<Upstream> upstream() {
        return Optional.ofNullable(upstream);
    }

    /**
     * How often a commit against the upstream log is tried when other nodes' commits came first (each try
     * applies theirs, validates and materializes again); default {@value #DEFAULT_MAX_COMMIT_ATTEMPTS}.
     */
    public int maxCommitAttempts() {
        return maxCommitAttempts;
    }

    /** These settings with {@code storage} instead of this one's. */
    public StoreSettings<S> withStorage(StoreStorage storage) {
        return new StoreSettings<>(definitionName, schema, Objects.requireNonNull(storage, "storage"), durability,
                onBoot, rebuildBatchSize, clock, nodeIdentity, upstream, maxCommitAttempts);
    }

    /** These settings with {@code nodeIdentity} instead of this one's (a registry's node id, for its definitions). */
    public StoreSettings<S> withNodeIdentity(NodeIdentity nodeIdentity) {
        return new StoreSettings<>(definitionName, schema, storage, durability, onBoot, rebuildBatchSize, clock,
                Objects.requireNonNull(nodeIdentity, "nodeIdentity"), upstream, maxCommitAttempts);
    }

    /**
     * These settings with {@code upstream} as the stores' upstream log and at most {@code maxCommitAttempts}
     * tries per commit (a registry in cluster mode, for its definitions).
     *
     * @throws IllegalArgumentException {@code maxCommitAttempts} below 1
     */
    public StoreSettings<S> withUpstream(Upstream upstream, int maxCommitAttempts) {
        return new StoreSettings<>(definitionName, schema, storage, durability, onBoot, rebuildBatchSize, clock,
                nodeIdentity, Objects.requireNonNull(upstream, "upstream"),
                requireAttempts(definitionName, maxCommitAttempts));
    }

    static int requireAttempts(String definitionName, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("definition '" + definitionName + "': maxCommitAttempts must be >= 1, was "
                    + attempts);
        }
        return attempts;
    }

    @Override
    public String toString() {
        return "StoreSettings[" + definitionName + ", " + schema.schemaClass().getName() + ", "
                + (storage == null ? "storage unset" : storage) + ", " + durability + "]";
    }

    /** Builds {@link StoreSettings}; each setter checks its value at once. */
    public static final class Builder<S extends Schema> {
        private final String definitionName;
        private final CompiledSchema<S> schema;
        private StoreStorage storage;
        private Durability durability = Durability.PROCESS_CRASH;
        private OnBoot<S> onBoot = OnBoot.none();
        private int rebuildBatchSize = DEFAULT_REBUILD_BATCH_SIZE;
        private Clock clock = Clock.systemUTC();
        private NodeIdentity nodeIdentity;
        private Upstream upstream;
        private int maxCommitAttempts = DEFAULT_MAX_COMMIT_ATTEMPTS;

        private Builder(String definitionName, CompiledSchema<S> schema) {
            this.definitionName = StoreIds.requireValidDefinitionName(definitionName);
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /** The definition name these settings are for. */
        public String definitionName() {
            return definitionName;
        }

        /** Where stores are kept. */
        public Builder<S> storage(StoreStorage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /** Commit durability; default {@link Durability#PROCESS_CRASH}. */
        public Builder<S> durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /** A hook run after each open (and rebuild), before the store is handed out. */
        public Builder<S> onBoot(OnBoot<S> onBoot) {
            this.onBoot = Objects.requireNonNull(onBoot, "onBoot");
            return this;
        }

        /** Events per rebuild batch, at least 1; default {@value StoreSettings#DEFAULT_REBUILD_BATCH_SIZE}. */
        public Builder<S> rebuildBatchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("definition '" + definitionName + "': rebuildBatchSize must be >= 1, was "
                        + size);
            }
            this.rebuildBatchSize = size;
            return this;
        }

        /** The clock that timestamps commits; default the UTC system clock. */
        public Builder<S> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Who commits say wrote them; default {@link NodeIdentity#ofThisProcess()}. */
        public Builder<S> nodeIdentity(NodeIdentity nodeIdentity) {
            this.nodeIdentity = Objects.requireNonNull(nodeIdentity, "nodeIdentity");
            return this;
        }

        /**
         * The node id commits record as their {@code clientId}, with this process's session id; default
         * {@link NodeIdentity#defaultNodeId()} (host name and process id).
         *
         * @throws IllegalArgumentException an id that is not 1–128 characters of {@code [A-Za-z0-9._:-]}
         */
        public Builder<S> nodeId(String nodeId) {
            return nodeIdentity(NodeIdentity.of(nodeId));
        }

        /** The stores' upstream log (cluster mode); default none: the local file is the authority. */
        public Builder<S> upstream(Upstream upstream) {
            this.upstream = Objects.requireNonNull(upstream, "upstream");
            return this;
        }

        /** Tries per commit against the upstream log, at least 1; default {@value StoreSettings#DEFAULT_MAX_COMMIT_ATTEMPTS}. */
        public Builder<S> maxCommitAttempts(int attempts) {
            this.maxCommitAttempts = requireAttempts(definitionName, attempts);
            return this;
        }

        /** The settings. */
        public StoreSettings<S> build() {
            // The default is computed on first use only: reading the host name is for whoever needs it.
            return new StoreSettings<>(definitionName, schema, storage, durability, onBoot, rebuildBatchSize, clock,
                    nodeIdentity != null ? nodeIdentity : NodeIdentity.ofThisProcess(), upstream, maxCommitAttempts);
        }
    }
}
