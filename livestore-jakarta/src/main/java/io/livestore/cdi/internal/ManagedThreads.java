package io.livestore.cdi.internal;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The threads the library runs on in one application: inside a Jakarta EE server the server's default
 * {@code ManagedThreadFactory} ({@value #DEFAULT_MANAGED_THREAD_FACTORY}), so the threads carry the
 * application's context (class loader, {@code java:comp}) and the server knows them; outside a server
 * (the lookup fails) plain daemon threads.
 *
 * <p>The registry gets {@link #managedFactory()} for its own pool and timer (outside a server it keeps
 * its own daemon threads). The live queries of the JAX-RS
 * layer share {@link #scheduler()}, a small pool that only starts sends and heartbeats (short tasks:
 * nothing a server flags as hung), shut down by {@link #shutdown()} when the application stops.
 */
public final class ManagedThreads {

    /** The JNDI name every Jakarta EE server binds its default thread factory to. */
    public static final String DEFAULT_MANAGED_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";

    /** Threads of {@link #scheduler()}: sends never block them, so a few serve every stream. */
    private static final int SCHEDULER_THREADS = 4;

    private static final System.Logger LOG = System.getLogger(ManagedThreads.class.getName());

    /** The server's factory, or null outside a server. */
    private final ThreadFactory managed;
    private final ScheduledExecutorService scheduler;

    private ManagedThreads(ThreadFactory managed) {
        this.managed = managed;
        this.scheduler = Executors.newScheduledThreadPool(SCHEDULER_THREADS, managed != null ? managed : daemonThreads("livestore-sse"));
    }

    /**
     * The server's default managed thread factory if this thread can look it up (a thread of the
     * application, inside a server), else daemon threads. Logs which once.
     */
    public static ManagedThreads lookUp() {
        try {
            Object found = new InitialContext().lookup(DEFAULT_MANAGED_THREAD_FACTORY);
            if (found instanceof ThreadFactory f) {
                LOG.log(System.Logger.Level.INFO, "LiveStore runs on the server''s managed threads ({0})",
                        DEFAULT_MANAGED_THREAD_FACTORY);
                return new ManagedThreads(f);
            }
            LOG.log(System.Logger.Level.WARNING, "{0} is not a ThreadFactory ({1}); LiveStore uses its own daemon threads",
                    DEFAULT_MANAGED_THREAD_FACTORY, found == null ? null : found.getClass().getName());
        } catch (NamingException | RuntimeException | LinkageError notInAServer) {
            LOG.log(System.Logger.Level.DEBUG, () -> "no " + DEFAULT_MANAGED_THREAD_FACTORY + " (" + notInAServer
                    + "); LiveStore uses its own daemon threads");
        }
        return unmanaged();
    }

    /** The given factory as the server's, e.g. one that was found elsewhere, or a test's. */
    public static ManagedThreads using(ThreadFactory managed) {
        return new ManagedThreads(java.util.Objects.requireNonNull(managed, "managed"));
    }

    /** Plain daemon threads, as outside a server. */
    public static ManagedThreads unmanaged() {
        return new ManagedThreads(null);
    }

    /** The server's managed thread factory, for the registry's threads; empty outside a server. */
    public Optional<ThreadFactory> managedFactory() {
        return Optional.ofNullable(managed);
    }

    /** The shared scheduler of the live queries (sends and heartbeats). */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Stops the scheduler; the registry stops its own threads when it closes. */
    public void shutdown() {
        scheduler.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
