package io.livestore.it;

import io.livestore.registry.StoreRegistry;
import io.livestore.registry.StoreSnapshot;
import io.livestore.testing.ManualScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry as the tests see it from outside: its snapshot, its clock, and the request gates. */
@Path("/registry")
@ApplicationScoped
public class RegistryResource {

    @Inject
    StoreRegistry registry;

    @Inject
    ManualScheduler clock;

    @Inject
    Gates gates;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String snapshot() {
        List<Map<String, Object>> stores = registry.snapshot().stores().stream().map(RegistryResource::describe).toList();
        return Json.write(Map.of("stores", stores));
    }

    /** Advances the registry's clock by an ISO-8601 duration ({@code PT31S}) and runs what fell due. */
    @POST
    @Path("/clock")
    @Produces(MediaType.APPLICATION_JSON)
    public String advance(@QueryParam("by") String by) {
        clock.advance(Duration.parse(by));
        return snapshot();
    }

    @POST
    @Path("/gates/{name}")
    public void open(@PathParam("name") String name) {
        gates.open(name);
    }

    static Map<String, Object> describe(StoreSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("definition", s.definition());
        m.put("storeId", s.storeId());
        m.put("state", s.state().name());
        m.put("retentions", s.retentions());
        return m;
    }
}
