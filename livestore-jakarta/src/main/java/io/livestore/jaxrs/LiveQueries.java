package io.livestore.jaxrs;

import io.livestore.cdi.LiveStoreConfig;
import io.livestore.cdi.internal.LiveStoreInternal;
import io.livestore.cdi.internal.StoreAdmission;
import io.livestore.cdi.internal.StreamRetention;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.store.Query;
import io.livestore.store.Schema;
import io.livestore.store.Subscription;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live queries over Server-Sent Events (C8): the query's result now, and again after every commit
 * that changes it, as {@code result} events whose data is the result as JSON.
 *
 * <pre>{@code
 * @GET @Path("/issues/{issueId}/live") @Produces(MediaType.SERVER_SENT_EVENTS)
 * public void live(@PathParam("issueId") String id, @Context SseEventSink sink, @Context Sse sse) {
 *     liveQueries.stream(ISSUE, id, Query.of(IssueRow.class, "SELECT * FROM issue"), sink, sse);
 * }
 * }</pre>
 *
 * A stream outlives its request, so it holds exactly one retention of its own — inside a request, the
 * one the preload filter took for the request, handed over — and releases it when the client
 * disconnects, with whatever the request still holds: a server may never end the request scope of a
 * Server-Sent Events request (Payara). The definition may be any instance with the application's
 * definition's name (a {@code @Dependent} producer's new one, too). A disconnect shows only when a send fails, so a comment
 * is sent every {@code livestore.sse-heartbeat} (default 15 s). Sends run off the committing thread, in
 * order, one at a time per stream, without a thread waiting on the client, so a slow client slows neither
 * a commit nor other streams; one whose send has not completed for 30 s is dropped.
 */
@ApplicationScoped
public class LiveQueries {

    /**
     * Heartbeat interval key.
     *
     * @deprecated use {@link LiveStoreConfig#SSE_HEARTBEAT}, where all keys are
     */
    @Deprecated
    public static final String HEARTBEAT = LiveStoreConfig.SSE_HEARTBEAT;

    private static final System.Logger LOG = System.getLogger(LiveQueries.class.getName());

    @Inject
    StoreAdmission admission;

    /**
     * Results as JSON through the server's JSON-B (the library's own Jackson is only its store codec's):
     * records as objects, java.time values as ISO-8601 strings, nulls written out.
     */
    private final Jsonb json = JsonbBuilder.create(new JsonbConfig().withNullValues(true));

    /** A send in flight longer than this means the client is stuck: the stream ends and releases its store. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Marks a heartbeat in a stream's queue, so heartbeats and results never go out concurrently. */
    private static final Object HEARTBEAT_MARK = new Object();

    // Sends do not block these threads; they only start sends and heartbeats. The CDI layer owns the
    // pool (the server's managed threads inside a server) and stops it when the application stops.
    @Inject
    @LiveStoreInternal
    ScheduledExecutorService executor;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final Duration heartbeat = LiveStoreConfig.sseHeartbeat();

    /**
     * Streams {@code query} on store {@code storeId} of {@code definition} to {@code sink} until the
     * client goes away. Access policies apply; a refused or failed store ends the stream with an
     * {@code error} event carrying the problem.
     *
     * <p>Call it last in the resource method: when the stream ends, it also releases the stores its
     * request still holds (a server may never end the request scope of a Server-Sent Events request,
     * Payara does not), so a stream that ends at once — its client already gone — leaves the rest of
     * the method without its injected stores.
     */
    public <S extends Schema, T> void stream(StoreDefinition<S> definition, String storeId, Query<T> query,
                                             SseEventSink sink, Sse sse) {
        StreamRetention<S> retention;
        try {
            // The one admission step: id checked, definition canonicalised, policies asked; inside a
            // request the stream takes over the request's lease on the store rather than retaining again.
            retention = admission.admitForStream(definition, storeId);
        } catch (RuntimeException e) {
            // The same problem document an HTTP response would carry, as the stream's only event.
            String problem = String.valueOf(new LiveStoreProblemMapper().toResponse(e instanceof io.livestore.store.LiveStoreException l
                    ? l : new StoreProblem(500, definition.name(), storeId, null, e)).getEntity());
            sink.send(sse.newEventBuilder().name("error").mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(String.class, problem).build()).whenComplete((v, t) -> sink.close());
            return;
        }
        Stream stream = new Stream(retention, sink, sse);
        streams.add(stream);
        try {
            stream.store = retention.lease().store();
            stream.subscription = stream.store.subscribe(query, stream::enqueue);
        } catch (RuntimeException e) {
            stream.end("subscription failed: " + e);
            return;
        }
        long period = Math.max(1, heartbeat.toMillis());
        try {
            stream.heartbeat = executor.scheduleAtFixedRate(stream::ping, period, period, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The application is stopping: no heartbeat would ever reveal the client leaving.
            stream.end("application stopping");
            stream.subscription.close();
            return;
        }
        if (stream.ended.get()) {
            // The first send already failed inside subscribe(), before these two were set.
            stream.subscription.close();
            stream.heartbeat.cancel(false);
        }
    }

    /** Open streams, for observation and tests. */
    public int openStreams() {
        return streams.size();
    }

    @PreDestroy
    void stop() {
        for (Stream s : streams) {
            s.end("application stopping");
        }
        try {
            json.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "closing JSON-B failed", e);
        }
    }

    /** One client's stream: serial sends, its retention, its subscription. */
    private final class Stream {
        final StreamRetention<?> retention;
        final StoreLease<?> lease;
        final SseEventSink sink;
        final Sse sse;
        final ArrayDeque<Object> pending = new ArrayDeque<>();
        final AtomicBoolean ended = new AtomicBoolean();
        final AtomicLong ids = new AtomicLong();
        volatile Subscription subscription;
        /** The store instance subscribed to: once it is closed, no result will ever come from it. */
        volatile io.livestore.store.Store<?> store;
        volatile ScheduledFuture<?> heartbeat;
        /** When the send in flight started, 0 when none: a send that never completes ends the stream. */
        volatile long sendStartedNanos;
        boolean sending;

        Stream(StreamRetention<?> retention, SseEventSink sink, Sse sse) {
            this.retention = retention;
            this.lease = retention.lease();
            this.sink = sink;
            this.sse = sse;
        }

        /**
         * Called on the committing thread: queue the result and hand sending to the executor. A slow
         * client gets the latest result, not every intermediate one, and at most one pending heartbeat.
         */
        void enqueue(Object item) {
            synchronized (this) {
                if (ended.get()) {
                    return;
                }
                if (item == HEARTBEAT_MARK) {
                    if (pending.contains(HEARTBEAT_MARK)) {
                        return;
                    }
                } else {
                    pending.removeIf(p -> p != HEARTBEAT_MARK);
                }
                pending.add(item);
                if (sending) {
                    return;
                }
                sending = true;
            }
            execute();
        }

        /** Hands the next send to the pool; a stopped pool ends the stream rather than leave it mute. */
        private void execute() {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                end("application stopping");
            }
        }

        /** Sends one queued item; the next one follows when the send completes, on a pool thread. */
        private void drain() {
            Object next;
            synchronized (this) {
                next = pending.poll();
                if (next == null || ended.get()) {
                    sending = false;
                    return;
                }
                sendStartedNanos = System.nanoTime();
            }
            java.util.concurrent.CompletionStage<?> sent;
            try {
                if (next == HEARTBEAT_MARK) {
                    sent = sink.send(sse.newEventBuilder().comment("heartbeat").build());
                } else {
                    String data = json.toJson(next);
                    sent = sink.send(sse.newEventBuilder().name("result").id(Long.toString(ids.incrementAndGet()))
                            .mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, data).build());
                }
            } catch (Exception e) {
                end("send failed: " + e);
                return;
            }
            // No thread waits for the client: a slow one only delays its own stream.
            sent.whenComplete((v, failure) -> {
                sendStartedNanos = 0;
                if (failure != null) {
                    end("send failed: " + failure);
                } else {
                    execute();
                }
            });
        }

        void ping() {
            if (ended.get()) {
                return;
            }
            io.livestore.store.Store<?> subscribed = store;
            if (subscribed != null && (subscribed.isClosed() || !lease.isLive())) {
                // The instance closed under the stream (dropped, failed, or a cluster copy that closed to
                // reload): its results are over, and heartbeats would keep the client on a dead stream.
                // Ending it makes the client's EventSource reconnect, to the store's next instance.
                end("its store instance closed; the client reconnects to the next one");
                return;
            }
            long started = sendStartedNanos;
            if (started != 0 && System.nanoTime() - started > STALL_NANOS) {
                end("a send has not completed for " + Duration.ofNanos(System.nanoTime() - started));
                return;
            }
            enqueue(HEARTBEAT_MARK); // through the same queue as results: one send at a time per sink
        }

        void end(String why) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            LOG.log(Level.DEBUG, () -> "live query on store '" + lease.storeId() + "' ended: " + why);
            streams.remove(this);
            synchronized (this) {
                pending.clear();
            }
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            if (subscription != null) {
                subscription.close();
            }
            retention.close(); // the stream's one retention, and whatever its request still held
            try {
                sink.close();
            } catch (RuntimeException alreadyGone) {
                // The request scope or connection is already gone; nothing to release.
            }
        }
    }
}
