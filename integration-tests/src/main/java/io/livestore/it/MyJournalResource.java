package io.livestore.it;

import io.livestore.cdi.LiveStore;
import io.livestore.store.Store;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** A store whose id comes from the application's {@link CallersJournal} resolver. */
@Path("/my-journal")
@RequestScoped
public class MyJournalResource {

    @Inject
    @LiveStore(def = "journal")
    Store<NotebookSchema> journal;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String read() {
        return Json.write(Map.of("storeId", journal.storeId()));
    }
}
