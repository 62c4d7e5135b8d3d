package io.livestore.it;

import io.livestore.cdi.LiveStore;
import io.livestore.registry.RegistrySnapshot;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.Store;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/** Two stores of two definitions for one request: both are loaded (in parallel) before the method runs. */
@Path("/pairs/{notebookId}/{journalId}")
@RequestScoped
public class PairResource {

    @Inject
    @LiveStore(def = "notebook", id = "{notebookId}")
    Store<NotebookSchema> notebook;

    @Inject
    @LiveStore(def = "journal", id = "{journalId}")
    Store<NotebookSchema> journal;

    @Inject
    StoreRegistry registry;

    /** What the registry says about both stores while this request holds them. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String during() {
        RegistrySnapshot snapshot = registry.snapshot();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("notebook", describe(snapshot, "notebook", notebook.storeId()));
        body.put("journal", describe(snapshot, "journal", journal.storeId()));
        return Json.write(body);
    }

    private static Map<String, Object> describe(RegistrySnapshot snapshot, String definition, String storeId) {
        return snapshot.stores().stream()
                .filter(s -> s.definition().equals(definition) && s.storeId().equals(storeId))
                .findFirst()
                .map(RegistryResource::describe)
                .orElse(Map.of("storeId", storeId, "state", "ABSENT"));
    }
}
