package io.livestore.itsync;

import io.livestore.jaxrs.LiveStoreHttpSync;
import jakarta.ws.rs.Path;

/** The HTTP sync transport, enabled as an application enables it: a subclass with its own path. */
@Path("/livestore-http/{definition}")
public class SyncOverHttp extends LiveStoreHttpSync {
}
