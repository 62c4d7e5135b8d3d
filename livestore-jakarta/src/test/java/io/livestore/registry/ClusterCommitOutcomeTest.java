package io.livestore.registry;

import static io.livestore.registry.ClusterNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.CommitOutcomeUnknownException;
import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Store;
import io.livestore.store.StoreClosedException;
import io.livestore.store.UpstreamUnavailableException;
import io.livestore.store.internal.LocalLog;
import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.Upstream;
import io.livestore.sync.InMemoryUpstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a cluster commit tells its caller when the upstream's answer is lost or the log is not the one
 * the copy follows (Y3, Y6): never "nothing was written" for a commit that may be in the log, never a
 * second wait on an upstream that could not be reached, and a copy of a replaced log reloads.
 */
class ClusterCommitOutcomeTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    InMemoryUpstream logs = new InMemoryUpstream();
    final List<ClusterNode> nodes = new ArrayList<>();
    final List<InMemoryUpstream> extra = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (ClusterNode n : nodes) {
            n.close();
        }
        logs.close();
        for (InMemoryUpstream u : extra) {
            u.close();
        }
    }

    ClusterNode node(String name, Upstream upstream) {
        ClusterNode n = new ClusterNode(name, dir.resolve(name), upstream);
        nodes.add(n);
        return n;
    }

    /** Writes each append and then loses its answer, {@code times} times in a row; counts the calls. */
    static final class LosingAnswers implements Upstream {
        volatile Upstream log;
        final AtomicInteger lose = new AtomicInteger();
        final AtomicInteger appends = new AtomicInteger();
        volatile boolean unreachable;

        LosingAnswers(Upstream log) {
            this.log = log;
        }

        @Override
        public AppendResult append(String storeId, long expectedHead, List<LogEvent> events) {
            appends.incrementAndGet();
            if (unreachable) {
                throw new UpstreamUnavailableException("append to store '" + storeId + "': cannot be reached (test)",
                        Duration.ofSeconds(1), null);
            }
            AppendResult result = log.append(storeId, expectedHead, events);
            if (lose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new UpstreamUnavailableException("append to store '" + storeId + "': answer lost (test)",
                        Duration.ofSeconds(1), null, true);
            }
            return result;
        }

        @Override
        public List<LogEvent> pull(String storeId, long afterSeqNum, int limit) {
            return log.pull(storeId, afterSeqNum, limit);
        }

        @Override
        public Optional<io.livestore.store.spi.LogHead> head(String storeId) {
            return log.head(storeId);
        }

        @Override
        public Map<String, io.livestore.store.spi.LogHead> heads(Collection<String> storeIds) {
            return log.heads(storeIds);
        }

        @Override
        public Interest follow(String storeId) {
            return log.follow(storeId);
        }

        @Override
        public Registration listen(io.livestore.store.spi.ChangeListener listener) {
            return log.listen(listener);
        }

        @Override
        public void close() {
            log.close();
        }
    }

    @Test
    void aCommitWhoseAnswerIsLostTwiceIsReportedAsUnknownAndArrivesOnceWithoutADuplicate() {
        LosingAnswers upstream = new LosingAnswers(logs);
        ClusterNode a = node("a", upstream);
        Store<IssueSchema> store = a.store("s");
        store.commit(new IssueCreated("x", "T"));
        upstream.lose.set(2);
        CommitOutcomeUnknownException e = assertThrows(CommitOutcomeUnknownException.class,
                () -> store.commit(new CommentAdded("x", "ann", "hello")));
        assertEquals(CommitOutcomeUnknownException.ID, e.messageId());
        assertTrue(e.getMessage().contains("may or may not be in the log"), e.getMessage());
        assertTrue(e.retryAfter().isPresent(), "503 with Retry-After");
        assertEquals(2, logs.head("s").orElseThrow().head(), "it was in fact written, once");
        a.clock.advance(RegistryOptions.DEFAULT_UPSTREAM_CHECK_INTERVAL); // (or its announcement did already)
        await(() -> store.head() == 2, WAIT, "the written commit arrives like any other node's");
        assertEquals(1L, store.query(io.livestore.store.Query.first(Long.class, "SELECT count(*) FROM comment"))
                .orElseThrow(), "once");
    }

    @Test
    void anUpstreamThatCannotBeReachedIsAskedOnceAndNothingIsWritten() {
        LosingAnswers upstream = new LosingAnswers(logs);
        ClusterNode a = node("a", upstream);
        Store<IssueSchema> store = a.store("s");
        store.commit(new IssueCreated("x", "T"));
        int before = upstream.appends.get();
        upstream.unreachable = true;
        UpstreamUnavailableException e = assertThrows(UpstreamUnavailableException.class,
                () -> store.commit(new IssueCreated("y", "T")));
        assertFalse(e.outcomeUnknown());
        assertEquals(before + 1, upstream.appends.get(), "no second try: it had no effect, and it would only wait again");
        assertEquals(1, logs.head("s").orElseThrow().head());
        assertEquals(1, store.head());
    }

    @Test
    void aCopyWhoseLogWasCreatedAnewClosesAndReloadsInsteadOfConflictingForever() {
        LosingAnswers upstream = new LosingAnswers(logs);
        ClusterNode a = node("a", upstream);
        Store<IssueSchema> store = a.store("s");
        store.commit(new IssueCreated("x", "T"));
        store.commit(new IssueCreated("y", "T"));
        // The log is replaced under the running node (say, restored from an older backup into a new
        // database): another history, another backendId, behind this copy.
        InMemoryUpstream other = new InMemoryUpstream();
        extra.add(other);
        other.append("s", 0, List.of(ClusterRegistryTest.created(1, "z", "elsewhere")));
        upstream.log = other;
        StoreClosedException closed = assertThrows(StoreClosedException.class,
                () -> store.commit(new IssueCreated("w", "T")));
        assertTrue(closed.getMessage().contains("loaded afresh"), closed.getMessage());
        assertTrue(store.isClosed(), "the copy of the old log closed itself");
        assertEquals(1, other.head("s").orElseThrow().head(), "nothing of the refused commit reached the new log");
        Store<IssueSchema> again = a.store("s");
        assertEquals(1, again.head(), "loaded afresh: a copy of the new log");
        assertEquals(other.head("s").orElseThrow().backendId(), LocalLog.of(again).backendId());
    }

    @Test
    void eventsAreNeverAppliedLocallyOnlyToACopyOfAnUpstreamLog() {
        ClusterNode a = node("a", logs);
        Store<IssueSchema> store = a.store("s");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalLog.of(store).apply(List.of(ClusterRegistryTest.created(1, "x", "n"))));
        assertTrue(e.getMessage().contains("upstream"), e.getMessage());
        assertEquals(0, store.head());
    }
}
