package io.livestore.sync;

import static io.livestore.sync.PgTestEvents.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.UpstreamUnavailableException;
import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.LogHead;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Y9: PostgreSQL stopped and started again on the same data directory and port. Meanwhile every call
 * fails fast and clearly; afterwards the same {@link PostgresUpstream} (Java SE: its HikariCP pool and
 * its own LISTEN connection) works again without anyone touching it, and its listeners resync. And a
 * server frozen in place (SIGSTOP: connections open, no answers), which only the timeouts can end.
 */
class PostgresUpstreamOutageTest {

    /** Margin over the configured timeouts for a loaded 2-core machine: far above scheduling noise, far below a hang. */
    private static final Duration MARGIN = Duration.ofSeconds(3);

    private static EmbeddedPostgresServer server;
    /** The processes of a server frozen by a test and not yet thawed: @AfterAll thaws them whatever happened. */
    private static volatile List<Long> frozen;

    @BeforeAll
    static void startPostgres() {
        server = EmbeddedPostgresServer.started();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        try {
            thaw();
        } finally {
            server.close();
        }
    }

    private static void freeze(List<Long> pids) throws Exception {
        List<Long> all = new java.util.concurrent.CopyOnWriteArrayList<>(pids);
        frozen = all;
        EmbeddedPostgresServer.signal("STOP", pids);
        // a backend forked between the listing and the signal (a pool filling up in the background) would
        // go on answering: stop those too; the postmaster is stopped now, so no more are forked
        while (true) {
            List<Long> more = new java.util.ArrayList<>(server.processIds());
            more.removeAll(all);
            if (more.isEmpty()) {
                return;
            }
            all.addAll(more);
            EmbeddedPostgresServer.signal("STOP", more);
        }
    }

    private static void thaw() throws Exception {
        List<Long> pids = frozen;
        if (pids != null) {
            EmbeddedPostgresServer.signal("CONT", pids);
            frozen = null;
        }
    }

    /**
     * The longest a failing call may take with {@code options}: waiting for a pooled connection (and its
     * validation), then for an answer (the socket or network timeout), plus the margin.
     */
    private static Duration fast(PostgresUpstreamOptions options) {
        Duration answer = options.socketTimeout().compareTo(options.statementTimeout().plusSeconds(1)) > 0
                ? options.socketTimeout() : options.statementTimeout().plusSeconds(1);
        return options.connectTimeout().multipliedBy(2).plus(answer).plus(MARGIN);
    }

    @Test
    void callsFailFastDuringAnOutageAndTheSameUpstreamRecoversAfterIt() throws Exception {
        PostgresUpstreamOptions options = PostgresUpstreamOptions.builder()
                .connectTimeout(Duration.ofSeconds(1)).statementTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(3)).retryAfter(Duration.ofSeconds(7))
                .reconnectMinBackoff(Duration.ofMillis(50)).reconnectMaxBackoff(Duration.ofMillis(400)).build();
        try (PostgresUpstream upstream = PostgresUpstream.connect(server.jdbcUrl("postgres"), "postgres", "", options);
             PostgresUpstream writer = PostgresUpstream.connect(server.jdbcUrl("postgres"), "postgres", "", options)) {
            PgTestEvents.Recording heard = new PgTestEvents.Recording();
            upstream.follow("s"); // a node hears of other nodes' appends to the stores it follows
            upstream.listen(heard);
            heard.await("resync"::equals, Duration.ofSeconds(5));
            LogHead before = assertInstanceOf(AppendResult.Ok.class, writer.append("s", 0, batch(0, "e1"))).head();
            heard.await("s@1"::equals, Duration.ofSeconds(5));

            server.stop();
            UpstreamUnavailableException append = failsFast(options, () -> upstream.append("s", 1, batch(1, "e2")));
            assertTrue(append.getMessage().contains("appending to store 's'"), append.getMessage());
            assertEquals(Duration.ofSeconds(7), append.retryAfter().orElseThrow());
            UpstreamUnavailableException pull = failsFast(options, () -> upstream.pull("s", 0, 10));
            assertTrue(pull.getMessage().contains("store 's'"), pull.getMessage());
            failsFast(options, () -> upstream.head("s"));
            failsFast(options, () -> upstream.heads(List.of("s", "t")));
            for (UpstreamUnavailableException e : List.of(append, pull)) {
                String m = e.getMessage();
                assertFalse(m.contains("127.0.0.1") || m.contains("jdbc") || m.contains("SELECT")
                        || m.contains(Integer.toString(server.port())), "user terms only: " + m);
            }

            server.start();
            heard.await("resync"::equals, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            AppendResult after = null;
            while (after == null) {
                try {
                    after = upstream.append("s", 1, batch(1, "e2"));
                } catch (UpstreamUnavailableException stillGone) {
                    assertTrue(System.nanoTime() < deadline, "the pool recovers by itself within 10 s");
                }
            }
            assertEquals(new LogHead(before.backendId(), 2), assertInstanceOf(AppendResult.Ok.class, after).head(),
                    "the log survived on the same data directory");
            AppendResult written = null;
            while (written == null) {
                try {
                    written = writer.append("s", 2, batch(2, "e3")); // the writer's pool recovers by itself too
                } catch (UpstreamUnavailableException stillGone) {
                    assertTrue(System.nanoTime() < deadline, "the writer's pool recovers by itself within 10 s");
                }
            }
            heard.await("s@3"::equals, Duration.ofSeconds(5));
            assertEquals(Map.of("s", new LogHead(before.backendId(), 3)), upstream.heads(List.of("s")));
            assertEquals(batch(0, "e1", "e2", "e3"), upstream.pull("s", 0, 10));
        }
    }

    /** A server that keeps its sockets but answers nothing (frozen with SIGSTOP): the timeouts end the calls. */
    @Test
    void callsToAFrozenServerFailWithinTheTimeoutsAndRecoverWhenItThaws() throws Exception {
        PostgresUpstreamOptions options = PostgresUpstreamOptions.builder().schema("frozen")
                .connectTimeout(Duration.ofSeconds(1)).statementTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(2)).listenCheckInterval(Duration.ofMillis(300))
                .reconnectMinBackoff(Duration.ofMillis(50)).reconnectMaxBackoff(Duration.ofMillis(400)).build();
        try (PostgresUpstream upstream = PostgresUpstream.connect(server.jdbcUrl("postgres"), "postgres", "", options);
             PostgresUpstream writer = PostgresUpstream.connect(server.jdbcUrl("postgres"), "postgres", "", options)) {
            PgTestEvents.Recording heard = new PgTestEvents.Recording();
            upstream.follow("f");
            upstream.listen(heard);
            heard.await("resync"::equals, Duration.ofSeconds(5));
            writer.append("f", 0, batch(0, "e1"));
            heard.await("f@1"::equals, Duration.ofSeconds(5));
            List<Long> pids = server.processIds();
            freeze(pids);
            try {
                UpstreamUnavailableException e = failsFast(options, () -> upstream.append("f", 1, batch(1, "e2")));
                assertTrue(e.getMessage().contains("store 'f'"), e.getMessage());
                failsFast(options, () -> upstream.heads(List.of("f")));
            } finally {
                thaw();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            AppendResult after = null;
            while (after == null) {
                try {
                    after = upstream.append("f", 1, batch(1, "e2"));
                } catch (UpstreamUnavailableException stillBroken) {
                    assertTrue(System.nanoTime() < deadline, "recovers within 10 s after the thaw");
                }
            }
            assertEquals(2, assertInstanceOf(AppendResult.Ok.class, after).head().head());
            // the LISTEN connection's check found it frozen (its network timeout ended the wait): a new one
            // listens, and the listener is told to resync, then hears appends again
            heard.await("resync"::equals, Duration.ofSeconds(15));
            AppendResult written = null;
            while (written == null) {
                try {
                    written = writer.append("f", 2, batch(2, "e3")); // the writer's connections were frozen too
                } catch (UpstreamUnavailableException stillBroken) {
                    assertTrue(System.nanoTime() < deadline + Duration.ofSeconds(15).toNanos(), "the writer recovers");
                }
            }
            heard.await("f@3"::equals, Duration.ofSeconds(5));
            assertEquals(batch(0, "e1", "e2", "e3"), upstream.pull("f", 0, 10), "nothing of the cut-off call was committed");
        }
    }

    private static UpstreamUnavailableException failsFast(PostgresUpstreamOptions options, Executable call) {
        Duration fast = fast(options);
        long start = System.nanoTime();
        UpstreamUnavailableException e = assertThrows(UpstreamUnavailableException.class, call);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(fast) < 0, "failed within " + fast + ", took " + took);
        assertTrue(e.getMessage().startsWith(UpstreamUnavailableException.ID), e.getMessage());
        return e;
    }
}
