package io.livestore.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.cdi.internal.LiveStoreInternal;
import io.livestore.cdi.internal.ManagedThreads;
import io.livestore.registry.RegistryOptions;
import io.livestore.store.StoreStorage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/** Whose threads the registry and the live queries run on (item 19 of issue 9). */
class RegistryThreadsTest {

    private static final ThreadFactory SERVER = r -> new Thread(r, "server");
    private static final ThreadFactory APPLICATION = r -> new Thread(r, "application");

    @Test
    void optionsWithoutAThreadFactoryGetTheServersManagedOne() {
        ManagedThreads inServer = ManagedThreads.using(SERVER);
        try {
            RegistryOptions options = RegistryOptions.builder().storage(StoreStorage.inMemory()).build();
            RegistryOptions withThreads = RegistryProducer.withThreads(options, inServer);
            assertSame(SERVER, withThreads.threadFactory());
            assertSame(options.storage(), withThreads.storage(), "the rest stays");
        } finally {
            inServer.shutdown();
        }
    }

    @Test
    void theApplicationsOwnThreadFactoryStays() {
        ManagedThreads inServer = ManagedThreads.using(SERVER);
        try {
            RegistryOptions options = RegistryOptions.builder().threadFactory(APPLICATION).build();
            assertSame(APPLICATION, RegistryProducer.withThreads(options, inServer).threadFactory());
        } finally {
            inServer.shutdown();
        }
    }

    @Test
    void outsideAServerTheRegistryKeepsItsOwnDaemonThreads() {
        ManagedThreads outside = ManagedThreads.unmanaged();
        try {
            assertNull(RegistryProducer.withThreads(RegistryOptions.defaults(), outside).threadFactory());
        } finally {
            outside.shutdown();
        }
    }

    @Test
    void inWeldSeTheFallbackIsUsedAndTheLiveQuerySchedulerStopsWithTheApplication() throws Exception {
        Weld weld = new Weld().disableDiscovery().property(Weld.SHUTDOWN_HOOK_SYSTEM_PROPERTY, false)
                .addExtension(new LiveStoreExtension());
        ScheduledExecutorService scheduler;
        try (WeldContainer container = weld.initialize()) {
            assertTrue(container.select(ManagedThreads.class).get().managedFactory().isEmpty(), "no JNDI in Weld SE");
            scheduler = container.select(ScheduledExecutorService.class, LiveStoreInternal.Literal.INSTANCE).get();
            Thread ran = scheduler.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
            assertTrue(ran.isDaemon());
            assertTrue(ran.getName().startsWith("livestore-sse-"), ran.getName());
            assertEquals(0, container.select(ScheduledExecutorService.class).stream().count(),
                    "the library's scheduler never satisfies an application's unqualified injection point");
        }
        assertTrue(scheduler.isShutdown(), "stopped when the application stops");
    }
}
