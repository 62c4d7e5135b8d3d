package io.livestore.it.todo;

import io.livestore.cdi.StoreAccessPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.util.Map;

/**
 * JavaScript clients of todo stores must bring {@link #TOKEN} as {@code authToken} in their LiveStore
 * {@code syncPayload}; the application's own requests need none (its resources are trusted here).
 */
@ApplicationScoped
public class TodoTokenPolicy implements StoreAccessPolicy {

    /** The token clients must present. */
    public static final String TOKEN = "t0k3n-of-the-it";

    private static final Jsonb JSONB = JsonbBuilder.create();

    @Override
    public boolean allows(String definition, String storeId) {
        return true;
    }

    @Override
    public boolean allowsClient(String definition, String storeId, String syncPayload) {
        if (!definition.equals("todo")) {
            return true;
        }
        if (syncPayload == null) {
            return false;
        }
        try {
            Object token = JSONB.fromJson(syncPayload, Map.class).get("authToken");
            return TOKEN.equals(token);
        } catch (JsonbException | ClassCastException e) {
            return false; // not an object: no token
        }
    }
}
