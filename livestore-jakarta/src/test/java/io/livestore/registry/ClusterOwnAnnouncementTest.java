package io.livestore.registry;

import static io.livestore.registry.ClusterNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.sync.InMemoryUpstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node hears the announcements of its own commits too, often before the commit has finished locally.
 * Those need no catch-up — the commit applies its events itself — so they must not cost a pull from the
 * log (a round trip to PostgreSQL per commit); another node's commit still does.
 */
class ClusterOwnAnnouncementTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    final InMemoryUpstream log = new InMemoryUpstream();
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        log.close();
    }

    @Test
    void ownCommitsAnnouncedBeforeTheyFinishLocallyCostNoPullAnotherNodesCommitDoes() throws Exception {
        FaultyUpstream onA = new FaultyUpstream(log.node(), false);
        ClusterNode a = new ClusterNode("a", dir.resolve("a"), onA);
        open.add(a);
        Store<IssueSchema> store = a.store("s");
        store.commit(new IssueCreated("first", "T"));
        int pullsBefore = onA.pulls.get();
        for (int i = 0; i < 20; i++) {
            int heard = onA.announcements.get();
            // between the log's Ok and the local commit: wait until this node's listener has had the news
            onA.afterAppend = () -> await(() -> onA.announcements.get() > heard, WAIT, "the announcement of commit " + heard);
            store.commit(new IssueCreated("i" + i, "T"));
        }
        assertEquals(21, store.query(Query.first(Long.class, "SELECT count(*) FROM issue")).orElseThrow());
        assertEquals(0, onA.pulls.get() - pullsBefore, "no pull for node A's own twenty commits, announced while they were finishing");

        ClusterNode b = new ClusterNode("b", dir.resolve("b"), log.node());
        open.add(b);
        b.store("s").commit(new IssueCreated("fromB", "T"));
        await(() -> store.query(Query.first(Long.class, "SELECT count(*) FROM issue")).orElseThrow() == 22, WAIT,
                "node B's commit on node A");
        assertTrue(onA.pulls.get() > pullsBefore, "node B's commit was pulled");
    }
}
