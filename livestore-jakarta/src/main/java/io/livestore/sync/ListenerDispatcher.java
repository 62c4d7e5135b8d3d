package io.livestore.sync;

import io.livestore.store.spi.ChangeListener;
import io.livestore.store.spi.Upstream;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * One node's announcements: its {@link Upstream#listen} registrations, called one task at a time on the
 * node's own thread (started on the first registration), as a database's listening connection would.
 *
 * <p>A registration hears nothing before its resync: an append announced while its resync is still
 * queued is skipped for it, and the resync, which runs after, covers that append.
 */
final class ListenerDispatcher {

    private static final System.Logger LOG = System.getLogger(ListenerDispatcher.class.getName());

    private final ThreadFactory threads;
    private final List<Listening> registrations = new CopyOnWriteArrayList<>();
    private ExecutorService thread; // guarded by this
    private boolean closed; // guarded by this
    private volatile boolean connected = true; // written under this

    ListenerDispatcher(ThreadFactory threads) {
        this.threads = threads;
    }

    /**
     * Registers {@code listener}; its resync is queued at once when connected, else it comes with the
     * resync of the reconnect ({@link #connected(boolean)}; listening begins only then). The flag is read
     * under the same monitor that flips it, so a registration is either before the flip (and in the
     * reconnect's resync) or after it (and gets its own).
     */
    synchronized Upstream.Registration listen(ChangeListener listener) {
        if (closed) {
            throw new IllegalStateException("this upstream node is closed");
        }
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(threads);
        }
        Listening registration = new Listening(listener);
        registrations.add(registration);
        if (connected) {
            thread.execute(registration::resync);
        }
        return registration;
    }

    /** Whether the node is connected: announcements are delivered, calls answered. */
    boolean connected() {
        return connected;
    }

    /**
     * Disconnects or reconnects the node; a reconnect queues a resync for every registration made until
     * now (announcements may have been missed), under the monitor {@link #listen} reads the flag with.
     */
    synchronized void connected(boolean now) {
        boolean was = connected;
        connected = now;
        if (now && !was) {
            resyncAll();
        }
    }

    /** Queues {@code changed(storeId, head)} for every registration. */
    void changed(String storeId, long head) {
        submit(() -> {
            for (Listening registration : registrations) {
                registration.changed(storeId, head);
            }
        });
    }

    /** Queues a resync for every registration (announcements may have been missed: a reconnect). */
    private void resyncAll() {
        submit(() -> {
            for (Listening registration : registrations) {
                registration.resync();
            }
        });
    }

    private synchronized void submit(Runnable task) {
        if (thread == null || closed || registrations.isEmpty()) {
            return;
        }
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // closing meanwhile: nobody is listening any more
        }
    }

    /** Ends every registration and the thread; queued announcements are dropped. */
    void close() {
        ExecutorService stopping;
        synchronized (this) {
            closed = true;
            stopping = thread;
        }
        for (Listening registration : registrations) {
            registration.close();
        }
        if (stopping != null) {
            stopping.shutdown();
        }
    }

    /** One registration: called only after its resync and never after it is closed. */
    private final class Listening implements Upstream.Registration {

        private final ChangeListener listener;
        private boolean started; // only the dispatcher's thread reads and writes it
        private boolean ended; // guarded by this: a call and close() exclude each other

        Listening(ChangeListener listener) {
            this.listener = listener;
        }

        void resync() {
            started = true;
            call(listener::resync, "resync");
        }

        void changed(String storeId, long head) {
            if (started) {
                call(() -> listener.changed(storeId, head), "changed('" + storeId + "', " + head + ")");
            }
        }

        /** Holding the registration's monitor, so that no call begins after close() has returned. */
        private synchronized void call(Runnable call, String what) {
            if (ended) {
                return;
            }
            try {
                call.run();
            } catch (RuntimeException e) {
                // a listener's failure ends neither its registration nor the announcements of others
                LOG.log(Level.WARNING, "an upstream change listener failed in " + what, e);
            }
        }

        @Override
        public synchronized void close() {
            ended = true;
            registrations.remove(this);
        }
    }
}
