package io.livestore.cdi;

import jakarta.enterprise.context.ApplicationScoped;

/** Access policies used by the tests. */
final class Policies {

    private Policies() {
    }

    /** Refuses every storeId starting with "secret". */
    @ApplicationScoped
    public static class RefuseSecret implements StoreAccessPolicy {
        @Override
        public boolean allows(String definition, String storeId) {
            return !storeId.startsWith("secret");
        }
    }
}
