package io.livestore.registry;

import static io.livestore.registry.ClusterNode.await;
import static io.livestore.registry.ClusterNode.replayed;
import static io.livestore.registry.ClusterNode.tables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.IssueSchema.IssueRenamed;
import io.livestore.store.Query;
import io.livestore.store.SchemaBehindLogException;
import io.livestore.store.Store;
import io.livestore.store.StoreOpener;
import io.livestore.store.StoreStorage;
import io.livestore.store.internal.LocalLog;
import io.livestore.store.spi.LogEvent;
import io.livestore.sync.InMemoryUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode on the in-memory upstream: the local file is a cache of the log (Y6) — deleted, corrupt or
 * foreign files are rebuilt — and a single-node directory moves in by pushing its log once (Y12); a node
 * whose schema lacks an event of the log refuses commits and still answers reads (Y8).
 */
class ClusterCacheFileTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final StoreDefinition<IssueSchemaV2> ISSUE_V2 = StoreDefinition.builder("issue", IssueSchemaV2.class)
            .unusedCacheTime(StoreDefinition.FOREVER).build();

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

    ClusterNode node(String name) {
        ClusterNode n = new ClusterNode(name, dir.resolve(name), upstream.node());
        nodes.add(n);
        return n;
    }

    Path file(ClusterNode n, String storeId) {
        return StoreOpener.builder("issue", IssueSchema.class).storage(StoreStorage.directory(n.dataDir)).build().databaseFile(storeId).orElseThrow();
    }

    /** Loads a store, commits three events, drops it (its file stays), and returns the log's tables. */
    String threeEventsThenDropped(ClusterNode n, String storeId) {
        Store<IssueSchema> s = n.store(storeId);
        s.commit(new IssueCreated(storeId + "-1", "T"));
        s.commit(new IssueCreated(storeId + "-2", "T"));
        s.commit(new IssueRenamed(storeId + "-1", "U"));
        n.registry.drop(ClusterNode.ISSUE, storeId);
        return replayed(upstream.pull(storeId, 0, 100));
    }

    @Test
    void aDeletedCacheFileIsRebuiltFromTheLog() throws Exception {
        ClusterNode a = node("a");
        String expected = threeEventsThenDropped(a, "s");
        Files.delete(file(a, "s"));
        assertEquals(expected, tables(a.store("s")));
        assertEquals(3, a.store("s").head());
    }

    @Test
    void aCorruptCacheFileIsRebuiltFromTheLog() throws Exception {
        ClusterNode a = node("a");
        String expected = threeEventsThenDropped(a, "s");
        Files.write(file(a, "s"), "this is not a SQLite database, it was overwritten".repeat(200).getBytes());
        Store<IssueSchema> rebuilt = a.store("s");
        assertEquals(expected, tables(rebuilt));
        assertEquals(upstream.head("s").orElseThrow(), LocalLog.of(rebuilt).logHead(), "the log's backendId and head");
    }

    @Test
    void aCacheFileCopiedFromAnotherStoreIsRebuiltFromItsOwnLog() throws Exception {
        ClusterNode a = node("a");
        String expected = threeEventsThenDropped(a, "s");
        threeEventsThenDropped(a, "t");
        Files.copy(file(a, "t"), file(a, "s"), StandardCopyOption.REPLACE_EXISTING);
        Store<IssueSchema> s = a.store("s");
        assertEquals(expected, tables(s), "s's own events, none of t's");
        assertTrue(tables(s).contains("s-1|U"), tables(s));
        s.commit(new IssueCreated("s-3", "T"));
        assertEquals(4, upstream.head("s").orElseThrow().head());
    }

    @Test
    void aSingleNodeDirectoryMovesInByPushingItsLogOnceAndASecondNodeNeverPushesOverIt() throws Exception {
        // Two single-node directories with different histories of the same store, moved into one cluster.
        for (String name : List.of("a", "b")) {
            try (Store<IssueSchema> local = StoreOpener.builder("issue", IssueSchema.class)
                    .storage(StoreStorage.directory(dir.resolve(name))).build().open("s")) {
                for (int i = 0; i < 3; i++) {
                    local.commit(new IssueCreated(name + i, "T"));
                }
            }
        }
        ClusterNode a = node("a");
        ClusterNode b = node("b");
        // Both load at once: one history wins the compare-and-set; the other node is rebuilt from it.
        CompletableFuture<Store<IssueSchema>> onA = a.registry.getOrLoad(ClusterNode.ISSUE, "s").toCompletableFuture();
        CompletableFuture<Store<IssueSchema>> onB = b.registry.getOrLoad(ClusterNode.ISSUE, "s").toCompletableFuture();
        String stateA = tables(onA.join());
        String stateB = tables(onB.join());
        List<LogEvent> log = upstream.pull("s", 0, 100);
        assertEquals(3, log.size(), "one history pushed, once");
        String winner = log.get(0).args().contains("\"a0\"") ? "a" : "b";
        for (LogEvent e : log) {
            assertTrue(e.args().contains("\"" + winner), "one history only: " + log);
        }
        assertEquals(replayed(log), stateA);
        assertEquals(stateA, stateB, "the other node was rebuilt from the pushed log");
        ClusterNode pusher = winner.equals("a") ? a : b;
        assertEquals(log, LocalLog.of(pusher.store("s")).logEventsAfter(0, 100), "pushed as written: ids, args, times");
        assertEquals(upstream.head("s").orElseThrow().backendId(), LocalLog.of(pusher.store("s")).backendId());

        pusher.registry.drop(ClusterNode.ISSUE, "s");
        assertEquals(3, pusher.store("s").head(), "a reload pushes nothing again");
        assertEquals(3, upstream.head("s").orElseThrow().head());
    }

    @Test
    void aNodeWhoseSchemaLacksAnEventOfTheLogRefusesCommitsNamingItAndStillAnswersReads() {
        ClusterNode newer = node("newer");
        ClusterNode older = node("older");
        Store<IssueSchemaV2> onNewer = newer.store(ISSUE_V2, "s");
        Store<IssueSchema> onOlder = older.store("s");
        onNewer.commit(new IssueCreated("x", "T"));
        await(() -> onOlder.head() == 1, WAIT, "the older node follows");
        String before = tables(onOlder);
        onNewer.commit(new IssueSchemaV2.IssueArchived("x"));
        await(() -> {
            try {
                onOlder.commit(new IssueRenamed("x", "U"));
                return false;
            } catch (SchemaBehindLogException refused) {
                return true;
            }
        }, WAIT, "the older node refuses commits once it met the unknown event");
        SchemaBehindLogException e = assertThrows(SchemaBehindLogException.class,
                () -> onOlder.commit(new IssueCreated("y", "T")));
        assertEquals(SchemaBehindLogException.ID, e.messageId());
        assertEquals("v2.IssueArchived", e.eventName());
        assertTrue(e.getMessage().contains("'v2.IssueArchived'") && e.getMessage().contains("store 's'"), e.getMessage());
        assertTrue(e.retryAfter().isPresent(), "503 with Retry-After");
        assertEquals(before, tables(onOlder), "reads answer the state before the unknown event");
        assertEquals(1, onOlder.head(), "never skipped: the store stays before it");
        assertEquals(2, upstream.head("s").orElseThrow().head(), "nothing of the refused commits reached the log");
        assertNotEquals(before, tables(onNewer));
        assertEquals(1L, onOlder.query(Query.first(Long.class, "SELECT count(*) FROM issue")).orElseThrow());

        // Loading afresh on an older node: it loads, serves the state before the event, refuses commits.
        ClusterNode third = node("third");
        Store<IssueSchema> loaded = third.store("s");
        assertEquals(before, tables(loaded));
        assertThrows(SchemaBehindLogException.class, () -> loaded.commit(new IssueCreated("z", "T")));
    }

    @Test
    void aNodeWhoseSchemaRefusesAnEventOfTheLogStopsBeforeItNamingItInsteadOfConflictingForever() {
        StoreDefinition<IssueSchemaStrict> strictIssue = StoreDefinition.builder("issue", IssueSchemaStrict.class)
                .unusedCacheTime(StoreDefinition.FOREVER).build();
        ClusterNode lenient = node("lenient");
        ClusterNode strict = node("strict");
        Store<IssueSchema> onLenient = lenient.store("s");
        Store<IssueSchemaStrict> onStrict = strict.store(strictIssue, "s");
        onLenient.commit(new IssueCreated("x", "T"));
        await(() -> onStrict.head() == 1, WAIT, "the strict node follows");
        String before = tables(onStrict);
        onLenient.commit(new IssueRenamed("x", ""), new IssueCreated("y", "T")); // the strict version refuses ''
        SchemaBehindLogException e = assertThrows(SchemaBehindLogException.class,
                () -> onStrict.commit(new IssueCreated("z", "T")));
        assertEquals("v1.IssueRenamed", e.eventName());
        assertTrue(e.getMessage().contains("event 2 'v1.IssueRenamed'") && e.getMessage().contains("cannot apply"),
                e.getMessage());
        assertTrue(e.retryAfter().isPresent(), "503 with Retry-After");
        assertEquals(1, onStrict.head(), "never skipped: the store stays before the event it cannot apply");
        assertEquals(before, tables(onStrict), "reads answer the state before it");
        assertEquals(3, upstream.head("s").orElseThrow().head(), "nothing of the refused commit reached the log");
    }

    @Test
    void singleNodeModeNeverDeletesAFileItCannotOpen() throws Exception {
        Path data = dir.resolve("single");
        try (StoreRegistry single = new StoreRegistry(RegistryOptions.builder().storage(StoreStorage.directory(data))
                .build())) {
            Store<IssueSchema> s = single.getOrLoad(ClusterNode.ISSUE, "s").toCompletableFuture().join();
            s.commit(new IssueCreated("x", "T"));
            single.drop(ClusterNode.ISSUE, "s");
            Path file = StoreOpener.builder("issue", IssueSchema.class).storage(StoreStorage.directory(data)).build()
                    .databaseFile("s").orElseThrow();
            byte[] garbage = "not a database".repeat(300).getBytes();
            Files.write(file, garbage);
            assertThrows(java.util.concurrent.CompletionException.class,
                    () -> single.getOrLoad(ClusterNode.ISSUE, "s").toCompletableFuture().join());
            assertTrue(java.util.Arrays.equals(garbage, Files.readAllBytes(file)), "the authority's file is left as it was");
            single.checkInvariants();
        }
    }

    @Test
    void aLongLocalLogIsPushedInPagesAndReadBackByAnotherNodeEventForEvent() {
        try (Store<IssueSchema> local = StoreOpener.builder("issue", IssueSchema.class)
                .storage(StoreStorage.directory(dir.resolve("a"))).build().open("big")) {
            List<IssueCreated> events = new ArrayList<>();
            for (int i = 0; i < 1_234; i++) {
                events.add(new IssueCreated("i" + i, "T"));
            }
            local.commit(events);
        }
        ClusterNode a = node("a");
        List<LogEvent> mine = LocalLog.of(a.store("big")).logEventsAfter(0, 10_000);
        assertEquals(1_234, upstream.head("big").orElseThrow().head());
        List<LogEvent> log = new ArrayList<>();
        for (long at = 0; at < 1_234; at = log.size()) {
            log.addAll(upstream.pull("big", at, 1_000));
        }
        assertEquals(mine, log, "the whole local log, as written, in order");
        ClusterNode b = node("b");
        assertEquals(tables(a.store("big")), tables(b.store("big")));
        assertEquals(mine, LocalLog.of(b.store("big")).logEventsAfter(0, 10_000));
    }
}
