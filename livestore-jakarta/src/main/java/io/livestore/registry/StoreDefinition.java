package io.livestore.registry;

import io.livestore.store.CompiledSchema;
import io.livestore.store.Durability;
import io.livestore.store.OnBoot;
import io.livestore.store.Schema;
import io.livestore.store.StoreIds;
import io.livestore.store.StoreOpener;
import io.livestore.store.StoreSettings;
import io.livestore.store.StoreStorage;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One kind of store — a name, a schema and how its stores live — the Java form of LiveStore's
 * {@code defineStore}. Immutable; define it once for the application and use it with any number of
 * storeIds. Options left unset inherit the registry's defaults ({@link RegistryOptions}).
 *
 * <pre>{@code
 * static final StoreDefinition<IssueSchema> ISSUE = StoreDefinition.builder("issue", IssueSchema.class)
 *         .unusedCacheTime(Duration.ofMinutes(2))
 *         .build();
 * }</pre>
 *
 * <p>Definitions are compared by identity: a registry accepts one definition instance per name.
 *
 * @param <S> the schema of its stores
 */
public final class StoreDefinition<S extends Schema> {

    /** An {@code unusedCacheTime} that disables disposal: stores stay loaded until dropped or the registry closes. */
    public static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    // How its stores are opened (name, schema, storage, durability, onBoot, rebuild batch size): the
    // store layer's one settings value, shared with StoreOpener; the rest is how the registry keeps them.
    private final StoreSettings<S> settings;
    private final Duration unusedCacheTime;
    private final String fixedStoreId;

    private StoreDefinition(Builder<S> b) {
        this.settings = b.settings.build();
        this.unusedCacheTime = b.unusedCacheTime;
        this.fixedStoreId = b.fixedStoreId;
    }

    /**
     * Starts a definition. The schema class is compiled here, so a malformed schema fails at startup,
     * not at the first request.
     *
     * @param name        1–128 characters of {@code [A-Za-z0-9._:-]}; also the store folder's name
     * @param schemaClass the schema, with a no-argument constructor
     */
    public static <S extends Schema> Builder<S> builder(String name, Class<S> schemaClass) {
        return new Builder<>(name, CompiledSchema.of(schemaClass));
    }

    /** Starts a definition from an already compiled schema. */
    public static <S extends Schema> Builder<S> builder(String name, CompiledSchema<S> schema) {
        return new Builder<>(name, schema);
    }

    /** The definition's name. */
    public String name() {
        return settings.definitionName();
    }

    /** The compiled schema of its stores. */
    public CompiledSchema<S> schema() {
        return settings.schema();
    }

    /** The schema class. */
    public Class<S> schemaClass() {
        return settings.schema().schemaClass();
    }

    /** How its stores are opened; storage unset means the registry's storage. */
    public StoreSettings<S> settings() {
        return settings;
    }

    /** Its own unusedCacheTime, if set (else the registry default applies). */
    public Optional<Duration> unusedCacheTime() {
        return Optional.ofNullable(unusedCacheTime);
    }

    /** Its own storage, if set (else the registry default applies). */
    public Optional<StoreStorage> storage() {
        return settings.storage();
    }

    /** The fixed storeId of a single-store definition, if it is one. */
    public Optional<String> fixedStoreId() {
        return Optional.ofNullable(fixedStoreId);
    }

    /** The durability of commits. */
    public Durability durability() {
        return settings.durability();
    }

    /** The opener for this definition's stores, with {@code defaultStorage} when it sets none. */
    StoreOpener<S> openerFor(StoreStorage defaultStorage) {
        return StoreOpener.of(settings.storage().isPresent() ? settings : settings.withStorage(defaultStorage));
    }

    /**
     * The opener for this definition's stores in a registry with {@code options}: its storage when the
     * definition sets none, its node identity, and in cluster mode its upstream log.
     */
    StoreOpener<S> openerFor(RegistryOptions options) {
        StoreSettings<S> s = settings.storage().isPresent() ? settings : settings.withStorage(options.storage());
        if (options.nodeIdentity().isPresent()) {
            s = s.withNodeIdentity(options.nodeIdentity().get());
        }
        if (options.upstream().isPresent()) {
            s = s.withUpstream(options.upstream().get(), options.maxCommitAttempts());
        }
        return StoreOpener.of(s);
    }

    @Override
    public String toString() {
        return "StoreDefinition[" + name() + ", " + schemaClass().getName() + "]";
    }

    /** Builds a {@link StoreDefinition}. */
    public static final class Builder<S extends Schema> {
        private final StoreSettings.Builder<S> settings;
        private final String name;
        private Duration unusedCacheTime;
        private String fixedStoreId;

        private Builder(String name, CompiledSchema<S> schema) {
            this.settings = StoreSettings.builder(name, schema); // validates the name and schema
            this.name = settings.definitionName();
        }

        /**
         * How long a store stays loaded after its last retention closes; {@link #FOREVER} disables
         * disposal, {@link Duration#ZERO} disposes at once.
         */
        public Builder<S> unusedCacheTime(Duration unusedCacheTime) {
            this.unusedCacheTime = UnusedCacheTimes.requireValid(unusedCacheTime, "definition '" + name + "'");
            return this;
        }

        /** Where this definition's stores are kept, overriding the registry's storage. */
        public Builder<S> storage(StoreStorage storage) {
            settings.storage(storage);
            return this;
        }

        /** Commit durability; default {@link Durability#PROCESS_CRASH}. */
        public Builder<S> durability(Durability durability) {
            settings.durability(durability);
            return this;
        }

        /** Runs after each store of this definition is opened, before it is handed out. */
        public Builder<S> onBoot(OnBoot<S> onBoot) {
            settings.onBoot(onBoot);
            return this;
        }

        /** Makes this a single-store definition: injection without an id uses this storeId. */
        public Builder<S> fixedStoreId(String storeId) {
            this.fixedStoreId = StoreIds.requireValid(name, storeId);
            return this;
        }

        /** Events per batch when a schema change rebuilds a store; default 1000. */
        public Builder<S> rebuildBatchSize(int size) {
            settings.rebuildBatchSize(size);
            return this;
        }

        /** The definition. */
        public StoreDefinition<S> build() {
            return new StoreDefinition<>(this);
        }
    }
}
