package io.livestore.jaxrs.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.StoreStorage;
import io.livestore.testing.ManualScheduler;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a client is told about its push (L3, L7): in its terms, never the server's internals. */
class ClientConnectionTest {

    static final StoreDefinition<TodoSchema> TODO = StoreDefinition.builder("todo", TodoSchema.class)
            .unusedCacheTime(StoreDefinition.FOREVER).build();

    final StoreRegistry registry = new StoreRegistry(RegistryOptions.builder().storage(StoreStorage.inMemory())
            .scheduler(new ManualScheduler()).executor(Runnable::run).nodeId("server").build());

    @AfterEach
    void close() {
        registry.close();
    }

    ClientConnection connect(String storeId, SyncTransport transport) {
        StoreLease<TodoSchema> lease = registry.retain(TODO, storeId);
        return new ClientConnection(lease, lease.store(), transport, true, Clock.systemUTC());
    }

    static String causeOf(RecordingTransport t, String id) {
        JsonNode error = t.exits(id).get(0).path("exit").path("cause").path("error");
        assertEquals("UnknownError", error.path("_tag").asText(), error.toString());
        return error.path("cause").asText();
    }

    @Test
    void aPushWithArgsThatAreNotItsEventIsAnsweredInTheClientsTerms() {
        RecordingTransport t = new RecordingTransport();
        ClientConnection c = connect("m1", t);
        c.onFrame(SyncServiceTest.push("1", "m1", null,
                SyncServiceTest.event(1, "v1.TodoCreated", "{\"id\":{\"nested\":1},\"text\":\"t\"}")));
        c.onFrame(SyncServiceTest.push("2", "m1", null,
                SyncServiceTest.event(1, "v1.TodoCreated", "[1,2]")));
        c.onFrame(SyncServiceTest.push("3", "m1", null,
                SyncServiceTest.event(1, "v1.TodoCreated", "{\"id\":\"a\"}")));
        for (String id : new String[] {"1", "2", "3"}) {
            String cause = causeOf(t, id);
            assertTrue(cause.contains("v1.TodoCreated"), cause);
            assertTrue(cause.contains("nothing was written"), cause);
            assertFalse(cause.contains("java.") || cause.contains("io.livestore")
                    || cause.contains("TodoSchema$"), "no Java names or parser text: " + cause);
        }
    }
}
