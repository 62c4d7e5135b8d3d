package io.livestore.cdi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.cdi.CdiFixtures.Definitions;
import io.livestore.cdi.CdiFixtures.WorkspaceSchema;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.IssueSchema;
import io.livestore.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/** C2: every deployment problem reported at once, each with its id and the injection point. C5: close on shutdown. */
class DeploymentValidationTest {

    @ApplicationScoped
    public static class DuplicateIssue {
        @Produces
        @StoreDef("issue")
        static final StoreDefinition<IssueSchema> AGAIN = StoreDefinition.builder("issue", IssueSchema.class).build();
    }

    @ApplicationScoped
    public static class Misnamed {
        @Produces
        @StoreDef("board")
        static final StoreDefinition<IssueSchema> BOARD = StoreDefinition.builder("boards", IssueSchema.class).build();
    }

    @ApplicationScoped
    public static class ScopedOptions {
        @Produces
        @ApplicationScoped
        io.livestore.registry.RegistryOptions options() {
            return io.livestore.registry.RegistryOptions.defaults();
        }
    }

    @StoreDef("board")
    public static class BoardFromHeader implements StoreIdResolver {
        @Override
        public String resolve() {
            return "b-1";
        }
    }

    @StoreDef("board")
    public static class BoardFromClaim implements StoreIdResolver {
        @Override
        public String resolve() {
            return "b-2";
        }
    }

    /** A definition whose class cannot initialize: its DDL does not compile. */
    @ApplicationScoped
    public static class BrokenDefinition {
        @Produces
        @StoreDef("broken")
        static final StoreDefinition<BrokenSchema> BROKEN = StoreDefinition.builder("broken", BrokenSchema.class).build();
    }

    public static final class BrokenSchema extends io.livestore.store.Schema {
        public BrokenSchema() {
            table("CREATE TABLE nonsense (");
        }
    }

    @RequestScoped
    public static class BadPoints {
        @Inject
        @LiveStore(def = "nope", id = "x")
        Store<IssueSchema> unknownDefinition;

        @Inject
        @LiveStore(def = "workspace", id = "x")
        Store<IssueSchema> wrongSchema;

        @Inject
        @LiveStore(def = "issue", id = "../etc")
        Store<IssueSchema> badLiteral;
    }

    @Path("/boards/{boardId}")
    @RequestScoped
    public static class BadResource {
        @Inject
        @LiveStore(def = "issue", id = "{issueId}")
        Store<IssueSchema> missingParameter;

        @Inject
        @LiveStore(def = "issue")
        Store<IssueSchema> noIdSource;

        @GET
        public String get() {
            return "";
        }
    }

    @Path("/unscoped")
    public static class UnscopedResource {
        @Inject
        @LiveStore(def = "workspace")
        Store<WorkspaceSchema> leaks;

        @GET
        public String get() {
            return "";
        }
    }

    private static Weld weld(Class<?>... classes) {
        return new Weld().disableDiscovery().property(Weld.SHUTDOWN_HOOK_SYSTEM_PROPERTY, false)
                .addExtension(new LiveStoreExtension()).addBeanClasses(classes);
    }

    @Test
    void everyProblemIsReportedTogetherWithItsIdAndInjectionPoint() {
        Exception e = assertThrows(Exception.class, () -> weld(Definitions.class, DuplicateIssue.class, Misnamed.class,
                BadPoints.class, BadResource.class, UnscopedResource.class, BrokenDefinition.class,
                ScopedOptions.class, BoardFromHeader.class, BoardFromClaim.class).initialize());
        String m = e.getMessage();
        String p = DeploymentValidationTest.class.getName() + "$";
        for (String expected : new String[] {
                "LiveStore found 12 problem(s)",
                "LIVESTORE-0313: 2 RegistryOptions beans, the registry needs one",
                "LIVESTORE-0314: 2 StoreIdResolver beans for definition 'board': [",
                p + "BoardFromHeader", p + "BoardFromClaim",
                "LIVESTORE-0312: RegistryOptions bean " + p + "ScopedOptions",
                "LIVESTORE-0305: definition bean " + p + "BrokenDefinition",
                "@StoreDef(\"broken\") failed: ExceptionInInitializerError caused by io.livestore.store.SchemaDefinitionException: LIVESTORE-0110",
                "LIVESTORE-0301: definition name 'issue' is declared 2 times",
                "LIVESTORE-0305: definition bean " + p + "Misnamed",
                "is @StoreDef(\"board\") but its definition is named 'boards'",
                "LIVESTORE-0302: " + p + "BadPoints.unknownDefinition uses @LiveStore(def = \"nope\")",
                "LIVESTORE-0303: " + p + "BadPoints.wrongSchema injects Store<IssueSchema> but definition 'workspace' has schema WorkspaceSchema",
                "LIVESTORE-0307: " + p + "BadPoints.badLiteral has id \"../etc\"",
                "LIVESTORE-0304: " + p + "BadResource.missingParameter has id \"{issueId}\" but resource BadResource has no path parameter 'issueId'",
                "LIVESTORE-0308: " + p + "UnscopedResource.leaks: JAX-RS resource",
        }) {
            assertTrue(m.contains(expected), "missing «" + expected + "» in:\n" + m);
        }
        assertTrue(m.contains("LIVESTORE-0310: " + p + "BadResource.noIdSource gives no id for definition 'issue'"), m);
    }

    @Test
    void theRegistryIsClosedWhenTheContainerShutsDown() {
        WeldContainer container = weld(Definitions.class).initialize();
        StoreRegistry registry = container.select(StoreRegistry.class).get();
        io.livestore.store.Store<IssueSchema> store = registry.getOrLoad(Definitions.ISSUE, "x").toCompletableFuture().join();
        container.shutdown();
        assertTrue(store.isClosed(), "the registry closed its stores when the application stopped (C5, R15)");
    }
}
