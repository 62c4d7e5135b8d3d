package io.livestore.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.spi.InitialContextFactory;
import org.junit.jupiter.api.Test;

class ManagedThreadsTest {

    /** What a server binds at java:comp/DefaultManagedThreadFactory, as far as the library can tell. */
    static final ThreadFactory SERVER_FACTORY = r -> new Thread(r, "server-managed");

    /** A JNDI provider with only the default managed thread factory, as inside a server. */
    public static final class ServerNaming implements InitialContextFactory {
        @Override
        public Context getInitialContext(Hashtable<?, ?> environment) {
            return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("lookup")) {
                            if (ManagedThreads.DEFAULT_MANAGED_THREAD_FACTORY.equals(String.valueOf(args[0]))) {
                                return SERVER_FACTORY;
                            }
                            throw new NameNotFoundException(String.valueOf(args[0]));
                        }
                        return null; // close() and the like
                    });
        }
    }

    @Test
    void outsideAServerTheRegistryKeepsItsThreadsAndLiveQueriesGetDaemonThreads() throws Exception {
        ManagedThreads threads = ManagedThreads.lookUp();
        try {
            assertTrue(threads.managedFactory().isEmpty());
            Thread ran = threads.scheduler().submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
            assertTrue(ran.isDaemon());
            assertTrue(ran.getName().startsWith("livestore-sse-"), ran.getName());
        } finally {
            threads.shutdown();
        }
        assertTrue(threads.scheduler().isShutdown());
    }

    @Test
    void insideAServerBothUseTheServersDefaultManagedThreadFactory() throws Exception {
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, ServerNaming.class.getName());
        ManagedThreads threads;
        try {
            threads = ManagedThreads.lookUp();
        } finally {
            System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        }
        try {
            assertSame(SERVER_FACTORY, threads.managedFactory().orElseThrow());
            CompletableFuture<String> name = new CompletableFuture<>();
            threads.scheduler().schedule(() -> name.complete(Thread.currentThread().getName()), 1, TimeUnit.MILLISECONDS);
            assertEquals("server-managed", name.get(10, TimeUnit.SECONDS));
        } finally {
            threads.shutdown();
        }
    }
}
