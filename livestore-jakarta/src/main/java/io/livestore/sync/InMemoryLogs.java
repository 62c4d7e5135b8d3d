package io.livestore.sync;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/** The logs the nodes of one {@link InMemoryUpstream} share — the in-memory stand-in for the database. */
final class InMemoryLogs {

    private final ConcurrentHashMap<String, InMemoryStoreLog> stores = new ConcurrentHashMap<>();
    private final Set<InMemoryUpstream> nodes = new CopyOnWriteArraySet<>();

    /** The store's log, or null when it has none. */
    InMemoryStoreLog get(String storeId) {
        return stores.get(storeId);
    }

    /** The store's log, created empty (with a fresh backendId) when it has none. */
    InMemoryStoreLog getOrCreate(String storeId) {
        return stores.computeIfAbsent(storeId, id -> new InMemoryStoreLog());
    }

    void join(InMemoryUpstream node) {
        nodes.add(node);
    }

    void leave(InMemoryUpstream node) {
        nodes.remove(node);
    }

    /** Tells every open node of an append; called after the store's lock is released. */
    void announce(String storeId, long head) {
        for (InMemoryUpstream node : nodes) {
            node.announce(storeId, head);
        }
    }
}
