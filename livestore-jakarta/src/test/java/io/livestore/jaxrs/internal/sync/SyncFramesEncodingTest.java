package io.livestore.jaxrs.internal.sync;

import static io.livestore.jaxrs.internal.sync.SyncFramesTest.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.spi.LogEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Server frames as the protocol notes document them (§3.2, §5.2–§5.4, compared as JSON trees), args
 * written back byte-exact (L4), and the cutting of a backlog into pages of at most 100 events and
 * 900,000 bytes (§5.2, §8).
 */
class SyncFramesEncodingTest {

    static final Instant AT = Instant.parse("2026-12-02T03:54:44.786Z");

    static LogEvent event(long seqNum, String args) {
        return new LogEvent(seqNum, seqNum - 1, "todoCreated", args, "client-A", "session-1", AT, "e" + seqNum);
    }

    static List<LogEvent> events(int count, String args) {
        List<LogEvent> events = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            events.add(event(i, args));
        }
        return events;
    }

    static long size(PullPage page) {
        return SyncFrames.utf8Length(FrameWriter.write(json -> FrameWriter.pullResponse(json, page)));
    }

    @Test
    void exitsAndPongsAsDocumented() {
        assertEquals("{\"_tag\":\"Pong\"}", SyncFrames.pong());
        assertEquals(tree("{\"_tag\":\"Exit\",\"requestId\":\"1\",\"exit\":{\"_tag\":\"Success\",\"value\":{}}}"),
                tree(SyncFrames.pushAccepted("1")));
        assertEquals(tree("{\"_tag\":\"Exit\",\"requestId\":\"0\",\"exit\":{\"_tag\":\"Success\"}}"),
                tree(SyncFrames.streamEnded("0")));
        assertEquals(tree("{\"_tag\":\"Exit\",\"requestId\":\"5\",\"exit\":{\"_tag\":\"Success\","
                + "\"value\":{\"_tag\":\"SyncMessage.Pong\"}}}"), tree(SyncFrames.httpPong("5")));
        assertEquals(tree("{\"_tag\":\"Exit\",\"requestId\":\"1\",\"exit\":{\"_tag\":\"Failure\",\"cause\":{\"_tag\":\"Fail\","
                + "\"error\":{\"minimumExpectedNum\":4,\"providedNum\":3,\"_tag\":\"ServerAheadError\"}}}}"),
                tree(SyncFrames.serverAhead("1", 4, 3)));
        assertEquals(tree("{\"_tag\":\"Exit\",\"requestId\":\"1\",\"exit\":{\"_tag\":\"Failure\",\"cause\":{\"_tag\":\"Fail\","
                + "\"error\":{\"cause\":\"invalid \\\"batch\\\"\",\"_tag\":\"UnknownError\"}}}}"),
                tree(SyncFrames.unknownError("1", "invalid \"batch\"")));
        assertEquals(tree("{\"_tag\":\"Exit\",\"requestId\":\"1\",\"exit\":{\"_tag\":\"Failure\",\"cause\":{\"_tag\":\"Fail\","
                + "\"error\":{\"expected\":\"a\",\"received\":\"b\",\"_tag\":\"BackendIdMismatchError\"}}}}"),
                tree(SyncFrames.backendIdMismatch("1", "a", "b")));
    }

    @Test
    void chunkAsDocumentedWithArgsVerbatim() {
        String args = "{\"id\":\"a-0\",  \"text\":\"todo 0 ünï \\\"q\\\"\"}";
        String chunk = SyncFrames.chunk("0", List.of(new PullPage(List.of(event(1, args)), 0, "capture-backend-1")));
        assertEquals(tree("{\"_tag\":\"Chunk\",\"requestId\":\"0\",\"values\":[{\"batch\":["
                + "{\"eventEncoded\":{\"name\":\"todoCreated\",\"args\":{\"id\":\"a-0\",\"text\":\"todo 0 ünï \\\"q\\\"\"},"
                + "\"seqNum\":1,\"parentSeqNum\":0,\"clientId\":\"client-A\",\"sessionId\":\"session-1\"},"
                + "\"metadata\":{\"_tag\":\"Some\",\"value\":{\"_tag\":\"SyncMessage.SyncMetadata\","
                + "\"createdAt\":\"2026-12-02T03:54:44.786Z\"}}}],"
                + "\"pageInfo\":{\"_tag\":\"NoMore\"},\"backendId\":\"capture-backend-1\"}]}"), tree(chunk));
        assertTrue(chunk.contains("\"args\":" + args + ","), chunk);
        assertTrue(!chunk.contains("e1"), "the eventId stays on the server");
    }

    @Test
    void chunkWithSeveralPagesAndMoreKnown() {
        String chunk = SyncFrames.chunk("7", List.of(new PullPage(List.of(), 12, "b"), new PullPage(List.of(), 0, "b")));
        assertEquals(tree("{\"_tag\":\"Chunk\",\"requestId\":\"7\",\"values\":["
                + "{\"batch\":[],\"pageInfo\":{\"_tag\":\"MoreKnown\",\"remaining\":12},\"backendId\":\"b\"},"
                + "{\"batch\":[],\"pageInfo\":{\"_tag\":\"NoMore\"},\"backendId\":\"b\"}]}"), tree(chunk));
        assertThrows(IllegalArgumentException.class, () -> SyncFrames.chunk("7", List.of()));
    }

    @Test
    void createdAtAsJavaScriptsToIsoString() {
        assertEquals("2026-12-02T03:54:44.000Z", FrameWriter.isoInstant(Instant.parse("2026-12-02T03:54:44Z")));
        assertEquals("1970-01-01T00:00:00.001Z", FrameWriter.isoInstant(Instant.ofEpochMilli(1)));
        assertEquals("0099-03-04T05:06:07.080Z", FrameWriter.isoInstant(Instant.parse("0099-03-04T05:06:07.08Z")));
        assertEquals("+010000-01-01T00:00:00.000Z", FrameWriter.isoInstant(Instant.parse("+10000-01-01T00:00:00Z")));
        assertEquals("-000001-01-01T00:00:00.000Z", FrameWriter.isoInstant(Instant.parse("-0001-01-01T00:00:00Z")));
    }

    @Test
    void argsOfAPushComeBackIdenticalInAChunk() throws IOException {
        String frame = SyncFramesTest.golden("push-request-first.json");
        ClientFrame.Push push = (ClientFrame.Push) SyncFrames.decode(frame);
        WireEvent pushed = push.batch().get(0);
        LogEvent logged = pushed.toLogEvent(AT, "id-1");
        String chunk = SyncFrames.chunk("0", SyncFrames.pages(List.of(logged), 0, "capture-backend-1"));
        String exact = "\"args\":" + pushed.args() + ",";
        assertTrue(frame.contains(exact) && chunk.contains(exact), chunk);
        assertEquals(tree(frame).at("/payload/batch/0"), tree(chunk).at("/values/0/batch/0/eventEncoded"));
    }

    @Test
    void httpBodyIsAnArrayOfTheFrames() {
        String body = SyncFrames.httpBody(List.of(SyncFrames.streamEnded("0"), SyncFrames.pong()));
        assertEquals("[" + SyncFrames.streamEnded("0") + "," + SyncFrames.pong() + "]", body);
        assertEquals("[]", SyncFrames.httpBody(List.of()));
    }

    @Test
    void smallEventsArePagedByHundreds() {
        List<LogEvent> events = events(250, "{\"n\":1}");
        List<PullPage> pages = SyncFrames.pages(events, 0, "b");
        assertEquals(List.of(100, 100, 50), pages.stream().map(p -> p.batch().size()).toList());
        assertEquals(List.of(150L, 50L, 0L), pages.stream().map(PullPage::remaining).toList());
        assertEquals(events, pages.stream().flatMap(p -> p.batch().stream()).toList());
        String chunk = SyncFrames.chunk("0", pages);
        assertEquals("MoreKnown", tree(chunk).at("/values/0/pageInfo/_tag").asText());
        assertEquals(150, tree(chunk).at("/values/0/pageInfo/remaining").asLong());
        assertEquals(tree("{\"_tag\":\"NoMore\"}"), tree(chunk).at("/values/2/pageInfo"));
        assertTrue(pages.stream().allMatch(p -> p.backendId().equals("b")));
    }

    @Test
    void remainingAfterCountsInEveryPage() {
        List<PullPage> pages = SyncFrames.pages(events(150, "{}"), 1000, "b");
        assertEquals(List.of(1050L, 1000L), pages.stream().map(PullPage::remaining).toList());
        assertThrows(IllegalArgumentException.class, () -> SyncFrames.pages(events(1, "{}"), -1, "b"));
    }

    @Test
    void noEventsGiveOneEmptyNoMorePage() {
        assertEquals(List.of(new PullPage(List.of(), 0, "b")), SyncFrames.pages(List.of(), 0, "b"));
        assertEquals(tree("{\"batch\":[],\"pageInfo\":{\"_tag\":\"NoMore\"},\"backendId\":\"b\"}"),
                tree(SyncFrames.chunk("0", SyncFrames.pages(List.of(), 0, "b"))).at("/values/0"));
    }

    @Test
    void largeEventsArePagedByBytesAndEachPageIsAsFullAsTheLimitAllows() {
        // ~300 KB of args, with two-byte characters so that bytes and chars differ
        String args = "{\"t\":\"" + "ü".repeat(100_000) + "x".repeat(100_000) + "\"}";
        List<LogEvent> events = events(7, args);
        List<PullPage> pages = SyncFrames.pages(events, 0, "backend");
        assertEquals(List.of(2, 2, 2, 1), pages.stream().map(p -> p.batch().size()).toList());
        assertEquals(List.of(5L, 3L, 1L, 0L), pages.stream().map(PullPage::remaining).toList());
        for (int i = 0; i < pages.size(); i++) {
            PullPage page = pages.get(i);
            assertTrue(size(page) <= SyncFrames.MAX_PAGE_BYTES, "page " + i + ": " + size(page));
            if (i + 1 < pages.size()) {
                // one more event would not have fitted: the measure is exact, not a bound
                List<LogEvent> more = new ArrayList<>(page.batch());
                more.add(pages.get(i + 1).batch().get(0));
                assertTrue(size(new PullPage(more, page.remaining() - 1, "backend")) > SyncFrames.MAX_PAGE_BYTES);
            }
        }
    }

    @Test
    void thePageLimitIsMetToTheByte() {
        // two events whose page is exactly MAX_PAGE_BYTES, then the same with one byte more
        LogEvent probe = event(1, "\"\"");
        long emptyPage = size(new PullPage(List.of(probe, event(2, "\"\"")), 0, "b"));
        int fill = (int) (SyncFrames.MAX_PAGE_BYTES - emptyPage);
        String first = "\"" + "a".repeat(fill / 2) + "\"";
        String second = "\"" + "a".repeat(fill - fill / 2) + "\"";
        List<LogEvent> exact = List.of(event(1, first), event(2, second));
        assertEquals(SyncFrames.MAX_PAGE_BYTES, size(new PullPage(exact, 0, "b")));
        assertEquals(1, SyncFrames.pages(exact, 0, "b").size());
        List<LogEvent> over = List.of(event(1, first), event(2, "\"" + "a".repeat(fill - fill / 2 + 1) + "\""));
        assertEquals(List.of(1, 1), SyncFrames.pages(over, 0, "b").stream().map(p -> p.batch().size()).toList());
    }

    @Test
    void anOversizeEventGoesAloneInItsPage() {
        String huge = "\"" + "h".repeat(SyncFrames.MAX_PAGE_BYTES) + "\"";
        List<LogEvent> events = List.of(event(1, "{}"), event(2, huge), event(3, "{}"));
        List<PullPage> pages = SyncFrames.pages(events, 0, "b");
        assertEquals(List.of(1, 1, 1), pages.stream().map(p -> p.batch().size()).toList());
        assertEquals(event(2, huge), pages.get(1).batch().get(0));
        assertTrue(size(pages.get(1)) > SyncFrames.MAX_PAGE_BYTES);
    }

    @Test
    void utf8Length() {
        assertEquals(0, SyncFrames.utf8Length(""));
        assertEquals(1 + 2 + 3 + 4, SyncFrames.utf8Length("aü€😀"));
        assertEquals(3, SyncFrames.utf8Length("\ud800"));
        assertEquals("aü€😀".getBytes(java.nio.charset.StandardCharsets.UTF_8).length, SyncFrames.utf8Length("aü€😀"));
    }
}
