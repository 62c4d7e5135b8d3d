package io.livestore.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Event ids of Java commits: unique from many threads, version-7 UUIDs whose time part never goes back. */
class EventIdsTest {

    @Test
    void idsFromManyThreadsAreUniqueAndTimeOrdered() throws Exception {
        int threads = 4;
        int perThread = 50_000;
        Set<String> all = ConcurrentHashMap.newKeySet();
        List<Thread> started = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                long lastMillis = 0;
                for (int i = 0; i < perThread; i++) {
                    String id = EventIds.next();
                    UUID uuid = UUID.fromString(id);
                    assertEquals(7, uuid.version(), id);
                    assertEquals(2, uuid.variant(), id);
                    long millis = uuid.getMostSignificantBits() >>> 16;
                    assertTrue(millis >= lastMillis, "time went back: " + id);
                    lastMillis = millis;
                    all.add(id);
                }
            });
            thread.setUncaughtExceptionHandler((th, e) -> {
                synchronized (failures) {
                    failures.add(e);
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(threads * perThread, all.size());
        long now = System.currentTimeMillis();
        long millis = UUID.fromString(EventIds.next()).getMostSignificantBits() >>> 16;
        assertTrue(Math.abs(now - millis) < 60_000, "the time part is Unix milliseconds");
    }
}
