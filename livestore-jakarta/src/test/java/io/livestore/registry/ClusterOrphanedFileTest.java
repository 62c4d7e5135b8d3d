package io.livestore.registry;

import static io.livestore.registry.ClusterNode.replayed;
import static io.livestore.registry.ClusterNode.tables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueClosed;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.store.StoreOpener;
import io.livestore.store.StoreStorage;
import io.livestore.store.internal.LocalLog;
import io.livestore.store.internal.SqliteConnections;
import io.livestore.store.spi.LogEvent;
import io.livestore.sync.InMemoryUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode never deletes a local file that may hold events its upstream log lacks (Y6, Y12): a
 * single-node log moves in by one append (no node sees part of it), and a file that is not kept — a
 * lost push race, a tail that differs from the log, a file ahead of the log — is moved aside as
 * {@code .orphaned-<timestamp>}, its events readable there; a file that fails to open for another reason,
 * or without a log upstream, fails the load and is left as it was.
 */
class ClusterOrphanedFileTest {

    @TempDir
    Path dir;

    final InMemoryUpstream upstream = new InMemoryUpstream();
    final List<ClusterNode> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() throws Exception {
        for (ClusterNode n : nodes) {
            n.close();
        }
        upstream.close();
    }

    ClusterNode node(String name, io.livestore.store.spi.Upstream u) {
        ClusterNode n = new ClusterNode(name, dir.resolve(name), u);
        nodes.add(n);
        return n;
    }

    static StoreOpener<IssueSchema> singleNode(Path data) {
        return StoreOpener.builder("issue", IssueSchema.class).storage(StoreStorage.directory(data)).build();
    }

    static Path file(Path data, String storeId) {
        return singleNode(data).databaseFile(storeId).orElseThrow();
    }

    /** The files moved aside next to the store's file. */
    static List<Path> orphaned(Path data, String storeId) throws Exception {
        Path f = file(data, storeId);
        try (Stream<Path> files = Files.list(f.getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith(f.getFileName() + ".orphaned-"))
                    .filter(p -> !p.getFileName().toString().matches(".*-(wal|shm|journal)$"))
                    .toList();
        }
    }

    /** The event ids of a store file, read with SQLite itself (an operator recovering a file moved aside). */
    static List<String> eventIds(Path file) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = SqliteConnections.open("jdbc:sqlite:" + file, new Properties());
             ResultSet rs = c.createStatement().executeQuery("SELECT event_id FROM __livestore_events ORDER BY seq_num")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    static List<String> ids(List<LogEvent> events) {
        return events.stream().map(LogEvent::eventId).toList();
    }

    @Test
    void aSingleNodeLogMovesInByOneAppendAndLosingThePushRaceMovesItAsideWithAllItsEvents() throws Exception {
        List<String> singleNodeIds;
        try (Store<IssueSchema> local = singleNode(dir.resolve("a")).open("s")) {
            for (int i = 0; i < 1_200; i++) {
                local.commit(new CommentAdded("x", "single-node", "c" + i));
            }
            singleNodeIds = ids(LocalLog.of(local).logEventsAfter(0, 2_000));
        }
        FaultyUpstream onA = new FaultyUpstream(upstream.node(), false);
        ClusterNode b = node("b", upstream.node());
        ClusterNode a = node("a", onA);
        AtomicInteger appendsOfA = new AtomicInteger();
        onA.beforeAppend = (storeId, expected) -> {
            if (appendsOfA.getAndIncrement() == 0) {
                // another node loads the store before the push reaches the log, and commits first
                Store<IssueSchema> onB = b.store("s");
                assertEquals(0, onB.head(), "another node sees no part of a push");
                onB.commit(new IssueCreated("from-b", "T"));
            }
        };
        Store<IssueSchema> s = a.store("s");
        assertEquals(1, appendsOfA.get(), "the whole single-node log went in one append");
        List<LogEvent> log = upstream.pull("s", 0, 2_000);
        assertEquals(1, log.size(), "the other node's history is the log; nothing of the push is in it");
        assertEquals(replayed(log), tables(s), "rebuilt from the log");
        List<Path> aside = orphaned(a.dataDir, "s");
        assertEquals(1, aside.size(), "moved aside, not deleted: " + aside);
        assertEquals(singleNodeIds, eventIds(aside.get(0)), "every single-node event is kept in the file moved aside");
    }

    @Test
    void aWholeSingleNodeLogIsVisibleToAnotherNodeAtOnce() throws Exception {
        try (Store<IssueSchema> local = singleNode(dir.resolve("a")).open("s")) {
            for (int i = 0; i < 1_200; i++) {
                local.commit(new CommentAdded("x", "single-node", "c" + i));
            }
        }
        FaultyUpstream onA = new FaultyUpstream(upstream.node(), false);
        ClusterNode b = node("b", upstream.node());
        ClusterNode a = node("a", onA);
        List<Long> seenByB = new ArrayList<>();
        onA.afterAppend = () -> seenByB.add(b.store("s").head());
        a.store("s");
        assertEquals(List.of(1_200L), seenByB, "right after the push, another node loads all of it");
        assertTrue(orphaned(a.dataDir, "s").isEmpty());
    }

    /** The issue schema without {@link IssueClosed}: a node of an older version (or one that dropped it). */
    public static final class NoCloseSchema extends Schema {
        public NoCloseSchema() {
            table("CREATE TABLE issue (id TEXT PRIMARY KEY, title TEXT NOT NULL, closed INTEGER NOT NULL DEFAULT 0, "
                    + "version INTEGER NOT NULL)");
            on(IssueCreated.class, (e, tx) -> tx.execute("INSERT INTO issue (id, title, version) VALUES (?, ?, ?)",
                    e.id(), e.title(), tx.seq()));
        }
    }

    @Test
    void aFileThatFailsToOpenWithoutALogUpstreamFailsTheLoadAndIsLeftAsItWas() throws Exception {
        try (Store<IssueSchema> local = singleNode(dir.resolve("a")).open("s")) {
            local.commit(new IssueCreated("1", "t"));
            local.commit(new IssueClosed("1"));
        }
        byte[] before = Files.readAllBytes(file(dir.resolve("a"), "s"));
        ClusterNode a = node("a", upstream.node());
        StoreDefinition<NoCloseSchema> older = StoreDefinition.builder("issue", NoCloseSchema.class).build();
        CompletionException failed = assertThrows(CompletionException.class, () -> a.store(older, "s"));
        assertTrue(String.valueOf(failed.getCause().getMessage()).contains("'s'"), failed.getCause().getMessage());
        assertTrue(upstream.head("s").isEmpty(), "nothing pushed");
        assertTrue(orphaned(a.dataDir, "s").isEmpty(), "nothing moved");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file(a.dataDir, "s"))), "the file as it was");
        a.close();
        nodes.remove(a);
        try (Store<IssueSchema> local = singleNode(dir.resolve("a")).open("s")) {
            assertEquals(2, local.head(), "both events still there");
        }
    }

    @Test
    void aFileWhoseSchemaCannotReplayItFailsTheLoadEvenWithALogUpstream() throws Exception {
        ClusterNode a = node("a", upstream.node());
        Store<IssueSchema> s = a.store("s");
        s.commit(new IssueCreated("1", "t"));
        s.commit(new IssueClosed("1"));
        a.close();
        nodes.remove(a);
        ClusterNode olderNode = node("a", upstream.node()); // the same data directory, an older version
        StoreDefinition<NoCloseSchema> older = StoreDefinition.builder("issue", NoCloseSchema.class).build();
        assertThrows(CompletionException.class, () -> olderNode.store(older, "s"));
        assertTrue(orphaned(a.dataDir, "s").isEmpty(), "a file this version cannot replay is not moved aside");
        assertTrue(Files.exists(file(a.dataDir, "s")));
    }

    /** Three events through the cluster, then the store dropped: its file stays. */
    String twoEventsThenDropped(ClusterNode a) {
        Store<IssueSchema> s = a.store("s");
        s.commit(new IssueCreated("1", "T"));
        s.commit(new IssueCreated("2", "T"));
        a.registry.drop(ClusterNode.ISSUE, "s");
        return LocalLog.of(s).backendId();
    }

    @Test
    void aFileAheadOfItsLogIsMovedAsideNotDeletedAndTheStoreRebuiltFromTheLog() throws Exception {
        ClusterNode a = node("a", upstream.node());
        String backendId = twoEventsThenDropped(a);
        // acknowledged events the log lost (a restore of the upstream): the file has one more, same backendId
        List<String> fileIds;
        try (Store<IssueSchema> local = singleNode(a.dataDir).open("s")) {
            local.commit(new IssueCreated("3", "lost by the log"));
            fileIds = ids(LocalLog.of(local).logEventsAfter(0, 10));
            assertEquals(backendId, LocalLog.of(local).backendId());
        }
        Store<IssueSchema> s = a.store("s");
        assertEquals(2, s.head());
        assertEquals(replayed(upstream.pull("s", 0, 10)), tables(s));
        List<Path> aside = orphaned(a.dataDir, "s");
        assertEquals(1, aside.size());
        assertEquals(fileIds, eventIds(aside.get(0)), "the event the log lost is kept");
    }

    @Test
    void aFileWithTheLogsBackendIdButAnotherTailIsMovedAsideAndRebuilt() throws Exception {
        ClusterNode a = node("a", upstream.node());
        twoEventsThenDropped(a);
        Path backup = dir.resolve("backup.db");
        Files.copy(file(a.dataDir, "s"), backup);
        a.store("s").commit(new IssueCreated("3", "in the log"));
        a.registry.drop(ClusterNode.ISSUE, "s");
        // the file restored from the backup, then written to on its own: its event 3 is not the log's
        Files.copy(backup, file(a.dataDir, "s"), StandardCopyOption.REPLACE_EXISTING);
        List<String> fileIds;
        try (Store<IssueSchema> local = singleNode(a.dataDir).open("s")) {
            local.commit(new IssueCreated("3", "only in the file"));
            fileIds = ids(LocalLog.of(local).logEventsAfter(0, 10));
        }
        Store<IssueSchema> s = a.store("s");
        assertEquals(replayed(upstream.pull("s", 0, 10)), tables(s), "the log's state, not the file's");
        assertTrue(tables(s).contains("3|in the log"), tables(s));
        List<Path> aside = orphaned(a.dataDir, "s");
        assertEquals(1, aside.size());
        assertEquals(fileIds, eventIds(aside.get(0)));
        assertFalse(fileIds.equals(ids(upstream.pull("s", 0, 10))));
    }
}
