package io.livestore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueClosed;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.IssueSchema.IssueRenamed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** S4: a subscription gets the current result at once, then once per commit that changes it. */
class SubscriptionTest {

    final Store<IssueSchema> store = StoreOpener.builder("issue", IssueSchema.class).build().open("s1");

    @AfterEach
    void close() {
        store.close();
    }

    static <T> List<T> recorder(List<T> into, T value) {
        into.add(value);
        return into;
    }

    @Test
    void deliversCurrentResultAtOnceThenEachChange() {
        store.commit(new IssueCreated("a", "A"));
        List<List<String>> seen = new ArrayList<>();
        try (Subscription sub = store.subscribe(Query.of(String.class, "SELECT title FROM issue ORDER BY id"), seen::add)) {
            assertEquals(List.of(List.of("A")), seen);
            store.commit(new IssueCreated("b", "B"));
            store.commit(new IssueRenamed("a", "A2"));
            assertEquals(List.of(List.of("A"), List.of("A", "B"), List.of("A2", "B")), seen);
        }
        store.commit(new IssueCreated("c", "C"));
        assertEquals(3, seen.size(), "closed subscriptions get nothing");
    }

    @Test
    void notNotifiedForCommitsToUnrelatedTables() {
        store.commit(new IssueCreated("a", "A"));
        List<Object> issueResults = new ArrayList<>();
        List<Object> commentResults = new ArrayList<>();
        store.subscribe(Query.of(String.class, "SELECT title FROM issue"), issueResults::add);
        store.subscribe(Query.of(String.class, "SELECT text FROM comment WHERE text IS NOT NULL"), commentResults::add);
        store.commit(new CommentAdded("a", "ann", "hello"));
        store.commit(new CommentAdded("a", "bob", "again"));
        assertEquals(1, issueResults.size(), "comment commits do not touch the issue table");
        assertEquals(3, commentResults.size());
    }

    @Test
    void notNotifiedWhenTheResultIsUnchanged() {
        store.commit(new IssueCreated("a", "A"), new IssueCreated("b", "B"));
        List<Optional<String>> seen = new ArrayList<>();
        store.subscribe(Query.first(String.class, "SELECT title FROM issue WHERE id = ?", "a"), seen::add);
        store.commit(new IssueRenamed("b", "B2")); // same table, different row
        store.commit(new IssueClosed("b"));
        assertEquals(1, seen.size(), "the issue table changed, the result did not: " + seen);
        store.commit(new IssueRenamed("a", "A2"));
        assertEquals(List.of(Optional.of("A"), Optional.of("A2")), seen);
    }

    @Test
    void oneNotificationPerCommitEvenForBatches() {
        List<Object> seen = new ArrayList<>();
        store.subscribe(Query.of(String.class, "SELECT id FROM issue ORDER BY id"), seen::add);
        store.commit(new IssueCreated("a", "A"), new IssueCreated("b", "B"), new IssueCreated("c", "C"));
        assertEquals(List.of(List.of(), List.of("a", "b", "c")), seen);
    }

    @Test
    void joinsViewsAndAggregatesTrackEveryTableTheyRead() {
        List<Object> joined = new ArrayList<>();
        store.subscribe(Query.of(Long.class,
                "SELECT count(*) FROM issue i JOIN comment c ON c.issue_id = i.id WHERE i.closed = 0"), joined::add);
        store.commit(new IssueCreated("a", "A"));
        store.commit(new CommentAdded("a", "ann", "x"));
        store.commit(new IssueClosed("a"));
        assertEquals(List.of(List.of(0L), List.of(1L), List.of(0L)), joined);
    }

    @Test
    void aThrowingListenerBreaksNeitherTheCommitNorOtherListeners() {
        List<Object> good = new ArrayList<>();
        int[] calls = {0};
        store.subscribe(Query.of(String.class, "SELECT id FROM issue"), r -> {
            if (calls[0]++ > 0) {
                throw new IllegalStateException("listener bug");
            }
        });
        store.subscribe(Query.of(String.class, "SELECT id FROM issue"), good::add);
        assertEquals(1, store.commit(new IssueCreated("a", "A")));
        assertEquals(2, store.commit(new IssueCreated("b", "B")));
        assertEquals(3, good.size());
        assertEquals(3, calls[0], "the throwing listener stays subscribed");
        assertEquals(2, store.head());
    }

    @Test
    void aFailedCommitNotifiesNobody() {
        List<Object> seen = new ArrayList<>();
        store.subscribe(Query.of(String.class, "SELECT id FROM issue"), seen::add);
        assertThrows(MaterializerException.class, () -> store.commit(new IssueCreated("a", "A"), new IssueRenamed("zzz", "x")));
        assertEquals(1, seen.size());
    }

    @Test
    void aListenerMayQueryTheStore() {
        List<Long> heads = new ArrayList<>();
        store.subscribe(Query.of(String.class, "SELECT id FROM issue"), r -> heads.add(store.head()));
        store.commit(new IssueCreated("a", "A"));
        assertEquals(List.of(0L, 1L), heads, "the head is already advanced when listeners run");
    }

    @Test
    void anInvalidSubscriptionQueryFailsAtOnce() {
        QueryException e = assertThrows(QueryException.class,
                () -> store.subscribe(Query.of(String.class, "SELECT nope FROM issue"), r -> { }));
        assertEquals("LIVESTORE-0150", e.messageId());
    }

    // ---------------------------------------------------------------- issue 9, defects 2 and 3

    @Test
    void aListenerMayCommitToItsOwnStoreAndNoCommitIsLost() {
        List<Long> nestedHeads = new ArrayList<>();
        List<List<String>> titles = new ArrayList<>();
        List<List<String>> later = new ArrayList<>();
        // Closes every issue it sees open: a follow-up event from inside a notification.
        store.subscribe(Query.of(String.class, "SELECT id FROM issue WHERE closed = 0 ORDER BY id"), open -> {
            for (String id : open) {
                nestedHeads.add(store.commit(new IssueClosed(id)));
            }
        });
        store.subscribe(Query.of(String.class, "SELECT title || ':' || closed FROM issue ORDER BY id"), titles::add);
        store.subscribe(Query.of(String.class, "SELECT id || ':' || closed FROM issue ORDER BY id"), later::add);

        assertEquals(1, store.commit(new IssueCreated("a", "A")), "the outer commit returns its own head");
        assertEquals(List.of(2L), nestedHeads, "the nested commit ran and returned its head");
        assertEquals(2, store.head());
        assertEquals(List.of("v1.IssueCreated", "v1.IssueClosed"), store.eventsSince(0).stream().map(CommittedEvent::name).toList());
        // Every subscriber ends at the state after the follow-up commit.
        assertEquals(List.of("A:1"), titles.get(titles.size() - 1));
        assertEquals(List.of("a:1"), later.get(later.size() - 1));

        assertEquals(3, store.commit(new IssueCreated("b", "B")));
        assertEquals(List.of(2L, 4L), nestedHeads);
        assertEquals(List.of("A:1", "B:1"), titles.get(titles.size() - 1));
    }

    @Test
    void aNestedCommitThatFailsIsReportedToTheListenerNotLost() {
        List<Throwable> failures = new ArrayList<>();
        store.subscribe(Query.of(String.class, "SELECT id FROM issue"), ids -> {
            if (!ids.isEmpty()) {
                try {
                    store.commit(new IssueRenamed("missing", "x"));
                } catch (MaterializerException e) {
                    failures.add(e);
                }
            }
        });
        assertEquals(1, store.commit(new IssueCreated("a", "A")));
        assertEquals(1, failures.size());
        assertEquals(1, store.head());
    }

    @Test
    void anErrorFromAListenerAfterADurableCommitChangesNothing() {
        List<Object> before = new ArrayList<>();
        List<Object> after = new ArrayList<>();
        store.subscribe(Query.of(String.class, "SELECT id FROM issue"), before::add);
        store.subscribe(Query.of(String.class, "SELECT id FROM issue"), r -> {
            if (!r.isEmpty()) {
                throw new AssertionError("listener bug");
            }
        });
        store.subscribe(Query.of(String.class, "SELECT id FROM issue"), after::add);
        assertEquals(1, store.commit(new IssueCreated("a", "A")), "the commit is durable: commit returns normally");
        assertEquals(List.of(List.of(), List.of("a")), before);
        assertEquals(List.of(List.of(), List.of("a")), after, "subscribers after the failing one are still notified");
        assertEquals(2, store.commit(new IssueCreated("b", "B")));
        assertEquals(3, after.size());
        assertEquals(1, store.eventsSince(0, 1).size());
    }

    @Test
    void aFirstDeliveryThatCommitsStillGetsTheResultOfItsCommit() {
        List<List<String>> seen = new ArrayList<>();
        boolean[] committed = {false};
        store.subscribe(Query.of(String.class, "SELECT id FROM issue"), ids -> {
            seen.add(ids);
            if (!committed[0]) {
                committed[0] = true;
                store.commit(new IssueCreated("a", "A"));
            }
        });
        assertEquals(List.of(List.of(), List.of("a")), seen);
    }

    @Test
    void anErrorFromASubscriptionsRowMapperAfterADurableCommitChangesNothing() {
        List<Object> after = new ArrayList<>();
        store.subscribe(Query.of(row -> {
            if (row.getString("id").equals("a")) {
                throw new AssertionError("row mapper bug");
            }
            return row.getString("id");
        }, "SELECT id FROM issue"), r -> { });
        store.subscribe(Query.of(String.class, "SELECT id FROM issue"), after::add);
        assertEquals(1, store.commit(new IssueCreated("a", "A")), "the commit is durable: commit returns normally");
        assertEquals(List.of(List.of(), List.of("a")), after, "the other subscriber is still notified");
    }

    @Test
    void aSubscriptionToAPragmaIsRefusedBeforeItIsPrepared() {
        QueryException e = assertThrows(QueryException.class,
                () -> store.subscribe(Query.of(String.class, "PRAGMA synchronous = OFF"), r -> { }));
        assertTrue(e.getMessage().contains("is not a read"), e.getMessage());
    }

    @Test
    void readsOfTableValuedFunctionsAreQueriesToo() {
        store.commit(new IssueCreated("a", "A"));
        assertEquals(List.of("x", "y"), store.query(Query.of(String.class, "SELECT value FROM json_each(?)", "[\"x\",\"y\"]")));
        assertTrue(store.query(Query.of(String.class, "SELECT name FROM pragma_table_info('issue')")).contains("title"));
    }
}
