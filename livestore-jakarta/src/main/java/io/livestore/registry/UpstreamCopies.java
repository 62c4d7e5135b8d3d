package io.livestore.registry;

import io.livestore.registry.spi.StoreLoader;
import io.livestore.store.CancellationSignal;
import io.livestore.store.StoreOpenException;
import io.livestore.store.StoreOpener;
import io.livestore.store.StoreRebuildException;
import io.livestore.store.Store;
import io.livestore.store.internal.LocalLog;
import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import io.livestore.store.spi.Upstream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Opens a store in cluster mode as a copy of its upstream log (Y6, Y12): the local file is a cache that
 * can always be rebuilt, so it is checked against the log before the store is handed out.
 *
 * <ul>
 *   <li>A file that cannot be opened (corrupt, not a store) is deleted and made again, empty.</li>
 *   <li>A file whose log is the upstream log or a prefix of it (same backendId, or the same event ids)
 *       is kept: the follower's catch-up pulls what it lacks.</li>
 *   <li>A file of another log (other event ids: copied from another store or another cluster), or one
 *       ahead of its log, is deleted and made again, empty, with the log's backendId.</li>
 *   <li>A store the upstream has no log of yet, with local events — a single-node data directory moved
 *       into a cluster — pushes its local log as the log's initial events, in pages, and adopts the new
 *       log's backendId (Y12). The compare-and-set of every append makes this happen once: a node whose
 *       push meets a log another node created keeps that log if its own events are a prefix of it, and
 *       is otherwise rebuilt from it, so no second history is ever pushed over the first.</li>
 * </ul>
 * Deleting files happens only here, and this runs only in cluster mode: in single-node mode the local
 * file is the authority and is never deleted.
 */
final class UpstreamCopies {

    private static final System.Logger LOG = System.getLogger(UpstreamCopies.class.getName());
    /** Events per pull or push page. */
    private static final int PAGE = 500;

    private final Upstream upstream;
    private final StoreLoader inner;

    UpstreamCopies(Upstream upstream, StoreLoader inner) {
        this.upstream = upstream;
        this.inner = inner;
    }

    Store<?> open(StoreDefinition<?> definition, StoreOpener<?> opener, String storeId, CancellationSignal cancel)
            throws Exception {
        // Read first: an unreachable upstream fails the load before any file is touched.
        Optional<LogHead> remote = upstream.head(storeId);
        Store<?> store = openOrRemake(definition, opener, storeId, cancel);
        try {
            LocalLog local = LocalLog.of(store);
            LogHead mine = local.logHead();
            long remoteHead = remote.map(LogHead::head).orElse(0L);
            boolean sameLog = remote.isPresent() && mine.backendId().equals(remote.get().backendId());
            if (sameLog && mine.head() <= remoteHead) {
                return store; // a copy of the log, perhaps behind: the catch-up follows
            }
            if (!sameLog && mine.head() == 0) {
                remote.ifPresent(r -> local.adoptBackendId(r.backendId()));
                return store; // empty: it becomes a copy by catching up (or by its first commit)
            }
            if (!sameLog) {
                long common = commonPrefix(local, storeId, Math.min(mine.head(), remoteHead));
                if (common == remoteHead && (mine.head() == remoteHead || push(local, storeId, remoteHead))) {
                    if (mine.head() == remoteHead) {
                        local.adoptBackendId(remote.orElseThrow().backendId()); // same events, the id was not recorded
                    }
                    return store;
                }
                if (common == mine.head()) {
                    local.adoptBackendId(remote.orElseThrow().backendId()); // a prefix of the log: the catch-up follows
                    return store;
                }
            }
        } catch (Throwable t) {
            store.close();
            throw t;
        }
        LOG.log(Level.WARNING, () -> "store '" + storeId + "' (definition '" + definition.name() + "'): its local "
                + "file is not a copy of its upstream log; rebuilding it from the log");
        store.close();
        deleteFiles(opener, storeId);
        Store<?> fresh = inner.load(definition, opener, storeId, cancel);
        try {
            upstream.head(storeId).ifPresent(r -> LocalLog.of(fresh).adoptBackendId(r.backendId()));
            return fresh;
        } catch (Throwable t) {
            fresh.close();
            throw t;
        }
    }

    /**
     * Pushes the local events after {@code from} (the upstream's head, a prefix of the local log) as the
     * log's next events (Y12). Returns false when another node's different history came first.
     */
    private boolean push(LocalLog local, String storeId, long from) {
        long at = from;
        String backendId = null;
        while (true) {
            List<LogEvent> page = local.logEventsAfter(at, PAGE);
            if (page.isEmpty()) {
                break;
            }
            AppendResult result = upstream.append(storeId, at, page);
            if (result instanceof AppendResult.Conflict conflict) {
                long theirs = conflict.head().head();
                long common = commonPrefix(local, storeId, Math.min(local.logHead().head(), theirs));
                if (common < Math.min(local.logHead().head(), theirs)) {
                    return false; // another history is the log now: rebuild from it
                }
                at = theirs;
                backendId = conflict.head().backendId();
                if (theirs >= local.logHead().head()) {
                    break; // our events are all in the log already (another node pushed the same history)
                }
                continue;
            }
            at += page.size();
            backendId = result.head().backendId();
        }
        if (backendId != null) {
            local.adoptBackendId(backendId);
            LOG.log(Level.INFO, "store '" + storeId + "': pushed its local log (" + at + " events) as the initial events "
                    + "of its upstream log");
        }
        return true;
    }

    /** How many of the first {@code n} events the local and the upstream log share (compared by event id). */
    private long commonPrefix(LocalLog local, String storeId, long n) {
        long at = 0;
        while (at < n) {
            int page = (int) Math.min(PAGE, n - at);
            List<LogEvent> mine = local.logEventsAfter(at, page);
            List<LogEvent> theirs = upstream.pull(storeId, at, page);
            int same = 0;
            while (same < Math.min(mine.size(), theirs.size())
                    && mine.get(same).eventId().equals(theirs.get(same).eventId())) {
                same++;
            }
            at += same;
            if (same < page) {
                return at;
            }
        }
        return at;
    }

    /** Opens the store; a file that cannot be opened as a store is deleted and made again, once. */
    private Store<?> openOrRemake(StoreDefinition<?> definition, StoreOpener<?> opener, String storeId,
                                  CancellationSignal cancel) throws Exception {
        try {
            return inner.load(definition, opener, storeId, cancel);
        } catch (StoreOpenException | StoreRebuildException e) {
            if (lockedByAnotherProcess(e) || opener.databaseFile(storeId).filter(Files::exists).isEmpty()) {
                throw e;
            }
            LOG.log(Level.WARNING, "store '" + storeId + "' (definition '" + definition.name() + "'): its local file "
                    + "cannot be opened as a store; rebuilding it from the upstream log", e);
            deleteFiles(opener, storeId);
            return inner.load(definition, opener, storeId, cancel);
        }
    }

    private static boolean lockedByAnotherProcess(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof SQLException && (m.contains("SQLITE_BUSY") || m.contains("database is locked"))) {
                return true;
            }
        }
        return false;
    }

    private static void deleteFiles(StoreOpener<?> opener, String storeId) throws IOException {
        Optional<Path> file = opener.databaseFile(storeId);
        if (file.isEmpty()) {
            return; // in memory: nothing kept
        }
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(file.get().resolveSibling(file.get().getFileName() + suffix));
        }
    }
}
