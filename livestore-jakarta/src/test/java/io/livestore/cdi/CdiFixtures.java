package io.livestore.cdi;

import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.store.Event;
import io.livestore.store.EventName;
import io.livestore.store.IssueSchema;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import io.livestore.testing.ManualScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** Beans shared by the CDI tests: definitions, options on a manual clock, and injecting beans. */
final class CdiFixtures {

    private CdiFixtures() {
    }

    /** A second schema, for the single-store and schema-mismatch cases. */
    public static final class WorkspaceSchema extends Schema {
        @EventName("v1.WorkspaceNamed")
        public record WorkspaceNamed(String name) implements Event { }

        public WorkspaceSchema() {
            table("CREATE TABLE workspace (name TEXT)");
            on(WorkspaceNamed.class, (e, tx) -> tx.execute("INSERT INTO workspace VALUES (?)", e.name()));
        }
    }

    /** A third schema, for resolver-supplied ids. */
    public static final class TenantSchema extends Schema {
        public TenantSchema() {
            table("CREATE TABLE t (x TEXT)");
        }
    }

    static final ManualScheduler CLOCK = new ManualScheduler();

    @ApplicationScoped
    public static class Definitions {
        @Produces
        @StoreDef("issue")
        static final StoreDefinition<IssueSchema> ISSUE = StoreDefinition.builder("issue", IssueSchema.class)
                .unusedCacheTime(Duration.ofSeconds(30)).build();

        @Produces
        @StoreDef("workspace")
        static final StoreDefinition<WorkspaceSchema> WORKSPACE = StoreDefinition.builder("workspace", WorkspaceSchema.class)
                .fixedStoreId("workspace-root").build();

        @Produces
        @StoreDef("tenant")
        static final StoreDefinition<TenantSchema> TENANT = StoreDefinition.builder("tenant", TenantSchema.class).build();

        @Produces
        RegistryOptions options() {
            return RegistryOptions.builder().storage(StoreStorage.inMemory()).scheduler(CLOCK).executor(Runnable::run).build();
        }
    }

    /** A schema that no field injects: only programmatic lookup asks for its stores. */
    public static final class LookupOnlySchema extends Schema {
        public LookupOnlySchema() {
            table("CREATE TABLE l (x TEXT)");
        }
    }

    @ApplicationScoped
    public static class LookupDefinitions {
        @Produces
        @StoreDef("lookup")
        static final StoreDefinition<LookupOnlySchema> LOOKUP = StoreDefinition.builder("lookup", LookupOnlySchema.class).build();
    }

    /** A definition from a producer method: a new instance on every injection (it is @Dependent). */
    @ApplicationScoped
    public static class MethodDefinitions {
        @Produces
        @StoreDef("board")
        StoreDefinition<IssueSchema> board() {
            return StoreDefinition.builder("board", IssueSchema.class).build();
        }
    }

    /** Its second store is refused by the policy, after the first was already retained. */
    @RequestScoped
    public static class PartlyRefused {
        @Inject
        @LiveStore(def = "issue", id = "ok-1")
        Store<IssueSchema> allowed;
        @Inject
        @LiveStore(def = "issue", id = "secret-9")
        Store<IssueSchema> refused;

        Store<IssueSchema> allowed() {
            return allowed;
        }
    }

    @RequestScoped
    @StoreDef("tenant")
    public static class TenantResolver implements StoreIdResolver {
        @Override
        public String resolve() {
            return "tenant-acme";
        }
    }

    @RequestScoped
    public static class Injected {
        @Inject
        @LiveStore(def = "issue", id = "issue-1")
        Store<IssueSchema> literal;

        @Inject
        @LiveStore(def = "issue", id = "{issueId}")
        Store<IssueSchema> template;

        @Inject
        @LiveStore(def = "issue", id = "org-{orgId}")
        Store<IssueSchema> composite;

        @Inject
        @LiveStore(def = "issue")
        Store<IssueSchema> byParameter;

        @Inject
        @LiveStore
        Store<WorkspaceSchema> single;

        @Inject
        @LiveStore(def = "tenant")
        Store<TenantSchema> resolved;

        @Inject
        @LiveStore(def = "issue", id = "async-1")
        CompletionStage<Store<IssueSchema>> async;

        // Accessors: a normal-scoped bean is reached through its client proxy, whose fields are empty.
        Store<IssueSchema> literal() {
            return literal;
        }

        Store<IssueSchema> template() {
            return template;
        }

        Store<IssueSchema> composite() {
            return composite;
        }

        Store<IssueSchema> byParameter() {
            return byParameter;
        }

        Store<WorkspaceSchema> single() {
            return single;
        }

        Store<TenantSchema> resolved() {
            return resolved;
        }

        CompletionStage<Store<IssueSchema>> async() {
            return async;
        }
    }

    /** Records, in its own @PreDestroy, how many retentions its store still has. */
    @RequestScoped
    public static class WatchesItsPreDestroy {
        static volatile int retentionsSeenInPreDestroy = -1;

        @Inject
        @LiveStore(def = "issue", id = "watched")
        Store<IssueSchema> store;
        @Inject
        io.livestore.registry.StoreRegistry registry;

        Store<IssueSchema> store() {
            return store;
        }

        @jakarta.annotation.PreDestroy
        void done() {
            retentionsSeenInPreDestroy = registry.snapshot().store("watched")
                    .map(io.livestore.registry.StoreSnapshot::retentions).orElse(0);
        }
    }

    @RequestScoped
    public static class OnlyLiteral {
        @Inject
        @LiveStore(def = "issue", id = "issue-1")
        Store<IssueSchema> store;

        Store<IssueSchema> store() {
            return store;
        }
    }
}
