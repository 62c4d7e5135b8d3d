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
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Opens a store in cluster mode as a copy of its upstream log (Y6, Y12): the local file is a cache that
 * can be rebuilt, so it is checked against the log before the store is handed out. A file that is not
 * kept is never deleted: it is moved aside as {@code <file>.orphaned-<UTC timestamp>} ({@link OrphanedFiles}),
 * since it may hold the only copy of events the log lacks.
 *
 * <ul>
 *   <li>A file that cannot be opened because it is not a usable store file (corrupt, not a database, the
 *       file of another store) is moved aside and made again, empty — only when the upstream has a log of
 *       the store. Any other failure to open (an onBoot hook, I/O, a newer file format, a schema lacking
 *       an event of the file) fails the load and leaves the file as it is: it may be the only copy.</li>
 *   <li>A file whose log is the upstream log or a prefix of it (same backendId and the same event at its
 *       head, or the same event ids) is kept: the follower's catch-up pulls what it lacks.</li>
 *   <li>A file of another log (other event ids), one whose tail differs from its log (restored, then
 *       written to), or one ahead of its log (acknowledged events the log lost), is moved aside with a
 *       WARNING naming how many of its events the log does not have, and made again, empty, with the
 *       log's backendId.</li>
 *   <li>A store the upstream has no log of yet, with local events — a single-node data directory moved
 *       into a cluster — pushes its local log as the log's initial events in ONE append, so no other node
 *       ever sees part of it, and adopts the new log's backendId (Y12). The compare-and-set of the append
 *       makes this happen once: a node whose push meets a log another node created keeps that log if its
 *       own events are in it, and is otherwise moved aside and rebuilt from it, so no second history is
 *       ever pushed over the first and no event of either is lost.</li>
 * </ul>
 * This runs only in cluster mode: in single-node mode the local file is the authority and is never touched.
 */
final class UpstreamCopies {

    private static final System.Logger LOG = System.getLogger(UpstreamCopies.class.getName());
    /** Events per comparison page. */
    private static final int PAGE = 500;
    /** The largest local log pushed as a log's initial events: the push is one append, held in memory. */
    static final int MAX_PUSH = 100_000;

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
        Store<?> store = openOrRemake(definition, opener, storeId, cancel, remote.isPresent());
        long notInLog;
        try {
            LocalLog local = LocalLog.of(store);
            LogHead mine = local.logHead();
            long remoteHead = remote.map(LogHead::head).orElse(0L);
            boolean sameLog = remote.isPresent() && mine.backendId().equals(remote.get().backendId());
            if (mine.head() == 0) {
                remote.ifPresent(r -> local.adoptBackendId(r.backendId()));
                return store; // empty: it becomes a copy by catching up (or by its first commit)
            }
            if (sameLog && mine.head() <= remoteHead && sameEventAt(local, storeId, mine.head())) {
                return store; // a copy of the log, perhaps behind: the catch-up follows
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
            long theirs = upstream.head(storeId).map(LogHead::head).orElse(0L); // a failed push read a newer log
            notInLog = mine.head() - commonPrefix(local, storeId, Math.min(mine.head(), theirs));
        } catch (Throwable t) {
            store.close();
            throw t;
        }
        store.close();
        Optional<String> aside = OrphanedFiles.moveAside(opener, storeId);
        LOG.log(Level.WARNING, () -> "store '" + storeId + "' (definition '" + definition.name() + "'): its local "
                + "file is not a copy of its upstream log: " + notInLog + " of its events are not in the log"
                + aside.map(n -> "; the file was moved aside as '" + n + "' (nothing deleted)").orElse("")
                + "; rebuilding the store from the log");
        Store<?> fresh = inner.load(definition, opener, storeId, cancel);
        try {
            upstream.head(storeId).ifPresent(r -> LocalLog.of(fresh).adoptBackendId(r.backendId()));
            return fresh;
        } catch (Throwable t) {
            fresh.close();
            throw t;
        }
    }

    /** True when the local event at {@code seqNum} is the log's event there (same event id). */
    private boolean sameEventAt(LocalLog local, String storeId, long seqNum) {
        List<LogEvent> mine = local.logEventsAfter(seqNum - 1, 1);
        List<LogEvent> theirs = upstream.pull(storeId, seqNum - 1, 1);
        return !mine.isEmpty() && !theirs.isEmpty() && mine.get(0).eventId().equals(theirs.get(0).eventId());
    }

    /**
     * Pushes the local events after {@code from} (the upstream's head, a prefix of the local log) as the
     * log's next events (Y12), in one append: another node loading meanwhile sees none or all of them.
     * Returns false when another node's different history came first.
     */
    private boolean push(LocalLog local, String storeId, long from) {
        long mine = local.logHead().head();
        if (mine - from > MAX_PUSH) {
            throw new StoreOpenException("store '" + storeId + "': its local log has " + (mine - from) + " events "
                    + "its upstream log does not have; a store moves into a cluster with at most " + MAX_PUSH
                    + " of them (they are pushed at once). Its local file is left as it is");
        }
        AppendResult result = upstream.append(storeId, from, local.logEventsAfter(from, (int) (mine - from)));
        String backendId = result.head().backendId();
        if (result instanceof AppendResult.Conflict conflict) {
            long theirs = conflict.head().head();
            if (theirs < mine || commonPrefix(local, storeId, mine) < mine) {
                return false; // another history is the log now: moved aside and rebuilt from it
            }
            // our events are all in the log already (another node pushed the same history): the catch-up follows
        } else {
            LOG.log(Level.INFO, "store '" + storeId + "': pushed its local log (" + mine + " events) as the initial "
                    + "events of its upstream log");
        }
        local.adoptBackendId(backendId);
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

    /**
     * Opens the store. A file that is not a usable store file is moved aside and made again, once — only
     * when the upstream has a log to rebuild it from; every other failure fails the load, file untouched.
     */
    private Store<?> openOrRemake(StoreDefinition<?> definition, StoreOpener<?> opener, String storeId,
                                  CancellationSignal cancel, boolean logUpstream) throws Exception {
        try {
            return inner.load(definition, opener, storeId, cancel);
        } catch (StoreOpenException | StoreRebuildException e) {
            if (!logUpstream || !unusableFile(e) || opener.databaseFile(storeId).filter(Files::exists).isEmpty()) {
                throw e;
            }
            Optional<String> aside = OrphanedFiles.moveAside(opener, storeId);
            LOG.log(Level.WARNING, "store '" + storeId + "' (definition '" + definition.name() + "'): its local file "
                    + "is not a usable store file" + aside.map(n -> "; it was moved aside as '" + n + "'").orElse("")
                    + "; rebuilding it from the upstream log", e);
            return inner.load(definition, opener, storeId, cancel);
        }
    }

    /**
     * True for a failure that says the file is not a store file this store can use as a copy: not a
     * database, corrupt, damaged metadata, another store's file. Not for a locked file, an onBoot hook,
     * I/O, a newer format or a schema that cannot replay the file's events: those leave the file alone.
     */
    static boolean unusableFile(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof SQLException && (m.contains("SQLITE_BUSY") || m.contains("database is locked"))) {
                return false;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("onBoot hook failed")) {
                return false;
            }
            if (m.contains("SQLITE_NOTADB") || m.contains("not a database") || m.contains("not a SQLite database") || m.contains("SQLITE_CORRUPT")
                    || m.contains("malformed") || m.contains("the file belongs to store")
                    || m.contains("has an event log but no metadata") || m.contains("it is damaged")
                    || m.contains("the event log is damaged")) {
                return true;
            }
        }
        return false;
    }
}
