package io.livestore.store;

import io.livestore.store.internal.SqliteConnections;
import io.livestore.store.internal.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Opens the stores of one kind, as its {@link StoreSettings} say: a definition name, a schema, where
 * the files go and how durable commits are. Immutable and thread-safe; the registry keeps one per
 * store definition.
 *
 * <pre>{@code
 * StoreOpener<IssueSchema> issues = StoreOpener.builder("issue", IssueSchema.class)
 *         .storage(StoreStorage.directory(Path.of("data")))
 *         .build();
 * try (Store<IssueSchema> store = issues.open("issue-42")) {
 *     store.commit(new IssueCreated("issue-42", "Crash on save"));
 * }
 * }</pre>
 *
 * @param <S> the schema
 */
public final class StoreOpener<S extends Schema> {

    /** Events replayed per batch during a rebuild; cancellation is checked between batches. */
    public static final int DEFAULT_REBUILD_BATCH_SIZE = StoreSettings.DEFAULT_REBUILD_BATCH_SIZE;

    /**
     * Driver settings: transactions begin IMMEDIATE (take the write lock at once, so a commit never fails
     * half-way on a lock upgrade), and no generated-keys query after each INSERT (the store assigns seq
     * itself; that extra query measured half of a batch commit's cost).
     */
    private static final java.util.Properties CONNECTION_PROPERTIES = new java.util.Properties();

    static {
        CONNECTION_PROPERTIES.setProperty("transaction_mode", "IMMEDIATE");
        CONNECTION_PROPERTIES.setProperty("jdbc.get_generated_keys", "false");
    }

    private final StoreSettings<S> settings;
    // Read on every open: unpacked once from the settings.
    private final String definitionName;
    private final CompiledSchema<S> schema;
    private final StoreStorage storage;
    private final Durability durability;

    private StoreOpener(StoreSettings<S> settings) {
        this.settings = settings;
        this.definitionName = settings.definitionName();
        this.schema = settings.schema();
        this.storage = settings.storage().orElse(StoreStorage.inMemory());
        this.durability = settings.durability();
    }

    /** An opener for {@code settings}; stores are kept in memory when the settings name no storage. */
    public static <S extends Schema> StoreOpener<S> of(StoreSettings<S> settings) {
        return new StoreOpener<>(Objects.requireNonNull(settings, "settings"));
    }

    /** Starts an opener for a schema class (compiled here). */
    public static <S extends Schema> Builder<S> builder(String definitionName, Class<S> schemaClass) {
        return new Builder<>(definitionName, CompiledSchema.of(schemaClass));
    }

    /** Starts an opener for an already compiled schema. */
    public static <S extends Schema> Builder<S> builder(String definitionName, CompiledSchema<S> schema) {
        return new Builder<>(definitionName, schema);
    }

    /** Opens (creating if needed) the store {@code storeId}. */
    public Store<S> open(String storeId) {
        return open(storeId, CancellationSignal.NONE);
    }

    /**
     * Opens (creating if needed) the store {@code storeId}; a rebuild stops when {@code cancel} says so.
     * The storeId is validated before any file is touched (S5).
     *
     * @throws InvalidStoreIdException      a bad storeId
     * @throws StoreOpenException           unreadable or foreign file, locked by another process, onBoot failed
     * @throws StoreRebuildException        replaying the log into changed tables failed
     * @throws StoreLoadCancelledException  cancelled (nothing is left open)
     */
    public Store<S> open(String storeId, CancellationSignal cancel) {
        Objects.requireNonNull(cancel, "cancel");
        StoreIds.requireValid(definitionName, storeId);
        long start = System.nanoTime();
        String url = jdbcUrl(storeId);
        Connection connection;
        try {
            connection = SqliteConnections.open(url, CONNECTION_PROPERTIES);
        } catch (SQLException e) {
            throw new StoreOpenException("store '" + storeId + "' (definition '" + definitionName + "'): cannot open "
                    + url + ": " + e.getMessage(), e);
        }
        SqliteStore<S> store = new SqliteStore<>(definitionName, storeId, schema, connection, settings.clock(),
                settings.nodeIdentity());
        settings.upstream().ifPresent(u -> store.commitThrough(u, settings.maxCommitAttempts()));
        try {
            configure(connection, storeId);
            BootReport report = store.boot(settings.rebuildBatchSize(), cancel, start);
            settings.onBoot().onBoot(store, report);
            return store;
        } catch (LiveStoreException e) {
            store.close();
            throw e;
        } catch (SQLException e) {
            store.close();
            throw new StoreOpenException("store '" + storeId + "' (definition '" + definitionName + "'): "
                    + describe(e) + " (" + url + ")", e);
        } catch (Exception e) {
            store.close();
            throw new StoreOpenException("store '" + storeId + "' (definition '" + definitionName
                    + "'): onBoot hook failed: " + e, e);
        } catch (Error e) {
            store.close();
            throw e;
        }
    }

    private static String describe(SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("SQLITE_BUSY") || m.contains("database is locked")) {
            return "the database is locked by another process (stores are opened exclusively): " + m;
        }
        if (m.contains("SQLITE_NOTADB") || m.contains("not a database")) {
            return "the file is not a SQLite database: " + m;
        }
        return m;
    }

    private String jdbcUrl(String storeId) {
        if (storage instanceof StoreStorage.Directory dir) {
            Path file = dir.databaseFile(definitionName, storeId);
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new StoreOpenException("store '" + storeId + "' (definition '" + definitionName
                        + "'): cannot create directory " + file.getParent() + ": " + e, e);
            }
            return "jdbc:sqlite:" + file;
        }
        return "jdbc:sqlite::memory:";
    }

    private void configure(Connection connection, String storeId) throws SQLException {
        try (Statement st = connection.createStatement()) {
            // Exclusive locking before the first WAL access: no shared-memory file, fewer descriptors,
            // and a second process opening the same store fails clearly instead of racing our head seq.
            st.execute("PRAGMA locking_mode = EXCLUSIVE");
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                String mode = rs.next() ? rs.getString(1).toLowerCase(Locale.ROOT) : "";
                if (!mode.equals("wal") && !mode.equals("memory")) {
                    throw new SQLException("could not enable WAL journal mode (got '" + mode + "')");
                }
            }
            st.execute("PRAGMA synchronous = " + durability.synchronousPragma());
            st.execute("PRAGMA busy_timeout = 0");
        }
    }

    /** The definition name: the folder of this kind of store in the data directory. */
    public String definitionName() {
        return definitionName;
    }

    /** The compiled schema. */
    public CompiledSchema<S> schema() {
        return schema;
    }

    /** Where stores are kept. */
    public StoreStorage storage() {
        return storage;
    }

    /** The durability of commits. */
    public Durability durability() {
        return durability;
    }

    /** The settings this opener opens stores with. */
    public StoreSettings<S> settings() {
        return settings;
    }

    /** The database file a storeId maps to, when stored in a directory (validates the id). */
    public Optional<Path> databaseFile(String storeId) {
        if (storage instanceof StoreStorage.Directory dir) {
            return Optional.of(dir.databaseFile(definitionName, storeId));
        }
        StoreIds.requireValid(definitionName, storeId);
        return Optional.empty();
    }

    /** Builds a {@link StoreOpener}: a {@link StoreSettings.Builder} that ends in an opener. */
    public static final class Builder<S extends Schema> {
        private final StoreSettings.Builder<S> settings;

        private Builder(String definitionName, CompiledSchema<S> schema) {
            this.settings = StoreSettings.builder(definitionName, schema);
        }

        /** Where stores are kept; default in memory. */
        public Builder<S> storage(StoreStorage storage) {
            settings.storage(storage);
            return this;
        }

        /** Commit durability; default {@link Durability#PROCESS_CRASH}. */
        public Builder<S> durability(Durability durability) {
            settings.durability(durability);
            return this;
        }

        /** The clock that timestamps commits; default UTC system clock. */
        public Builder<S> clock(Clock clock) {
            settings.clock(clock);
            return this;
        }

        /** The node id commits record as their clientId; default {@link NodeIdentity#defaultNodeId()}. */
        public Builder<S> nodeId(String nodeId) {
            settings.nodeId(nodeId);
            return this;
        }

        /** Who commits say wrote them; default {@link NodeIdentity#ofThisProcess()}. */
        public Builder<S> nodeIdentity(NodeIdentity nodeIdentity) {
            settings.nodeIdentity(nodeIdentity);
            return this;
        }

        /** A hook run after each open (and rebuild), before the store is handed out. */
        public Builder<S> onBoot(OnBoot<S> onBoot) {
            settings.onBoot(onBoot);
            return this;
        }

        /** Events per rebuild batch; default 1000. */
        public Builder<S> rebuildBatchSize(int size) {
            settings.rebuildBatchSize(size);
            return this;
        }

        /** The opener. */
        public StoreOpener<S> build() {
            return new StoreOpener<>(settings.build());
        }
    }
}
