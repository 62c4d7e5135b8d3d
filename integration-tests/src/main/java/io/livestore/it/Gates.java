package io.livestore.it;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Named gates a request can wait at, so that a test can look at the registry while that request is in
 * progress and then let it finish.
 */
@ApplicationScoped
public class Gates {

    private final ConcurrentMap<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    /** Waits until {@code name} is opened; false when it stayed closed for 30 s. */
    boolean await(String name) throws InterruptedException {
        return gate(name).await(30, TimeUnit.SECONDS);
    }

    void open(String name) {
        gate(name).countDown();
    }

    private CountDownLatch gate(String name) {
        return gates.computeIfAbsent(name, n -> new CountDownLatch(1));
    }
}
