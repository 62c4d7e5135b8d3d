package io.livestore.it;

import io.livestore.cdi.StoreAccessPolicy;
import jakarta.enterprise.context.ApplicationScoped;

/** The application's access rule: notebooks whose id starts with {@code secret-} are refused. */
@ApplicationScoped
public class NoSecretNotebooks implements StoreAccessPolicy {

    @Override
    public boolean allows(String definition, String storeId) {
        return !(definition.equals("notebook") && storeId.startsWith("secret-"));
    }
}
