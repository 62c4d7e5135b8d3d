package io.livestore.itsync;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the last flood of {@link PingPongSessions} did, for the test to read over HTTP. */
@Path("/sync-probe/flood")
public class FloodProbe {

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String flood() {
        String f = PingPongSessions.flood;
        return f == null ? "none" : f;
    }
}
