package io.livestore.it;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Resources and the library's providers are found by the server's scanning, as in a user's WAR. */
@ApplicationPath("/api")
public class ItApplication extends Application {
}
