package io.livestore.jaxrs.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decoding of client frames (protocol notes §3.1, §4, §5): the golden frames of the real 0.4.0 client,
 * any key order, args kept byte-exact (L4), and the faults of frames that are not the protocol's (L7).
 * Encoding and page cutting: {@link SyncFramesEncodingTest}.
 */
class SyncFramesTest {

    static final ObjectMapper TREES = new ObjectMapper();
    static final String PAYLOAD = "{\"authToken\":\"secret&x=1\"}";
    static final String ARGS_0 = "{\"id\":\"a-0\",\"text\":\"todo 0 ünï \\\"q\\\"\"}";
    static final String ARGS_1 = "{\"id\":\"a-1\",\"text\":\"todo 1 ünï \\\"q\\\"\"}";

    static String golden(String name) throws IOException {
        try (InputStream in = SyncFramesTest.class.getResourceAsStream("/livestore-protocol/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static SyncFrameException fault(String frame) {
        return assertThrows(SyncFrameException.class, () -> SyncFrames.decode(frame));
    }

    static String push(String id, String batch) {
        return "{\"_tag\":\"Request\",\"id\":\"" + id + "\",\"tag\":\"SyncWsRpc.Push\",\"payload\":{\"storeId\":\"s\","
                + "\"batch\":" + batch + ",\"backendId\":{\"_tag\":\"None\"}},\"headers\":[]}";
    }

    static String event(String name, String seqNum) {
        return "{\"name\":\"" + name + "\",\"args\":{},\"seqNum\":" + seqNum + ",\"parentSeqNum\":0,"
                + "\"clientId\":\"c\",\"sessionId\":\"s\"}";
    }

    static String pull(String id, String cursor) {
        return "{\"_tag\":\"Request\",\"id\":\"" + id + "\",\"tag\":\"SyncWsRpc.Pull\",\"payload\":{\"storeId\":\"s\","
                + "\"live\":false,\"cursor\":" + cursor + "}}";
    }

    @Test
    void goldenPingAndAck() throws IOException {
        assertEquals(new ClientFrame.Ping(), SyncFrames.decode(golden("ping.json")));
        assertEquals(new ClientFrame.Ack("0"), SyncFrames.decode(golden("ack.json")));
    }

    @Test
    void goldenPullOfAFreshClient() throws IOException {
        assertEquals(new ClientFrame.Pull("0", "golden-store", PAYLOAD, true, null),
                SyncFrames.decode(golden("pull-request.json")));
    }

    @Test
    void goldenPullOfARestartedClient() throws IOException {
        assertEquals(new ClientFrame.Pull("0", "golden-store", PAYLOAD, true, new Cursor("capture-backend-1", 2)),
                SyncFrames.decode(golden("pull-request-with-cursor.json")));
    }

    @Test
    void goldenFirstPushHasNoBackendIdAndKeepsArgsExact() throws IOException {
        String frame = golden("push-request-first.json");
        ClientFrame.Push push = assertInstanceOf(ClientFrame.Push.class, SyncFrames.decode(frame));
        assertEquals(new ClientFrame.Push("1", "golden-store", PAYLOAD,
                List.of(new WireEvent("todoCreated", ARGS_0, 1, 0, "client-A", "session-1")), null), push);
        String args = push.batch().get(0).args();
        assertEquals(ARGS_0, args);
        assertTrue(frame.contains("\"args\":" + args + ","), "args are the frame's own characters");
    }

    @Test
    void goldenPushWithBackendId() throws IOException {
        assertEquals(new ClientFrame.Push("2", "golden-store", PAYLOAD,
                        List.of(new WireEvent("todoCreated", ARGS_1, 2, 1, "client-A", "session-1")), "capture-backend-1"),
                SyncFrames.decode(golden("push-request.json")));
    }

    @Test
    void interruptAndEof() {
        assertEquals(new ClientFrame.Interrupt("2"), SyncFrames.decode("{\"requestId\":\"2\",\"_tag\":\"Interrupt\"}"));
        assertEquals(new ClientFrame.Eof(), SyncFrames.decode(" {\"_tag\":\"Eof\",\"extra\":[1,{\"x\":2}]} "));
    }

    @Test
    void httpRpcs() {
        assertEquals(new ClientFrame.Pull("3", "s", null, false, new Cursor("b", 7)), SyncFrames.decode(
                "{\"_tag\":\"Request\",\"id\":\"3\",\"tag\":\"SyncHttpRpc.Pull\",\"payload\":{\"storeId\":\"s\","
                        + "\"cursor\":{\"value\":{\"eventSequenceNumber\":7,\"backendId\":\"b\"},\"_tag\":\"Some\"}}}"));
        assertEquals(new ClientFrame.Push("4", "s", "null", List.of(), "b"), SyncFrames.decode(
                "{\"_tag\":\"Request\",\"id\":\"4\",\"tag\":\"SyncHttpRpc.Push\",\"payload\":{\"storeId\":\"s\","
                        + "\"payload\":null,\"batch\":[],\"backendId\":{\"_tag\":\"Some\",\"value\":\"b\"}}}"));
        assertEquals(new ClientFrame.HttpPing("5"), SyncFrames.decode(
                "{\"_tag\":\"Request\",\"id\":\"5\",\"tag\":\"SyncHttpRpc.Ping\",\"payload\":{\"storeId\":\"s\"}}"));
    }

    @Test
    void payloadBeforeTheEnvelopeKeysIsDecodedOnceTheRequestIsKnown() {
        String frame = "{\"payload\":{\"batch\":[{\"sessionId\":\"s1\",\"args\" : [1, \"ü\\\"\" ,{}] ,\"clientId\":\"c1\","
                + "\"parentSeqNum\":4,\"seqNum\":5,\"name\":\"x\",\"more\":{}}],\"backendId\":{\"_tag\":\"None\"},"
                + "\"storeId\":\"s\",\"payload\": {\"k\" : 1} },\"sampled\":false,\"tag\":\"SyncWsRpc.Push\","
                + "\"id\":\"9\",\"_tag\":\"Request\"}";
        assertEquals(new ClientFrame.Push("9", "s", "{\"k\" : 1}",
                List.of(new WireEvent("x", "[1, \"ü\\\"\" ,{}]", 5, 4, "c1", "s1")), null), SyncFrames.decode(frame));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-12.5e3", "\"text \\u00fc \\\"\\\\\"", "true", "false", "null", "[]", "{}",
            "[[[{\"a\":[null]}]]]", "{ \"a\" : { \"b\" : [ 1 , 2 ] } }", "\"😀 ünï\""})
    void argsOfEveryKindAreTakenVerbatim(String args) {
        String frame = push("1", "[{\"name\":\"n\",\"args\":   " + args + "\t,\"seqNum\":1,\"parentSeqNum\":0,"
                + "\"clientId\":\"c\",\"sessionId\":\"s\"},{\"args\":" + args + "}]");
        // the second event is invalid on purpose, after the first one was read: its fault names it
        assertEquals("push request 1: event #1: name is missing (expected a non-empty string)", fault(frame).getMessage());
        String valid = push("1", "[{\"name\":\"n\",\"args\":   " + args + "\n,\"seqNum\":1,\"parentSeqNum\":0,"
                + "\"clientId\":\"c\",\"sessionId\":\"s\"}]");
        ClientFrame.Push push = (ClientFrame.Push) SyncFrames.decode(valid);
        assertEquals(args, push.batch().get(0).args());
    }

    @Test
    void argsInALargeFrameAreTakenVerbatim() {
        StringBuilder batch = new StringBuilder("[");
        String text = "\"" + "ü\\\"x".repeat(20_000) + "\"";
        for (int i = 1; i <= 20; i++) {
            batch.append(i == 1 ? "" : ",").append("{\"name\":\"n\",\"args\":{\"t\":").append(text).append(",\"i\":")
                    .append(i).append("},\"seqNum\":").append(i).append(",\"parentSeqNum\":").append(i - 1)
                    .append(",\"clientId\":\"c\",\"sessionId\":\"s\"}");
        }
        ClientFrame.Push push = (ClientFrame.Push) SyncFrames.decode(push("1", batch.append(']').toString()));
        assertEquals(20, push.batch().size());
        for (int i = 1; i <= 20; i++) {
            assertEquals("{\"t\":" + text + ",\"i\":" + i + "}", push.batch().get(i - 1).args());
            assertEquals(i, push.batch().get(i - 1).seqNum());
        }
    }

    @Test
    void framesThatAreNotJsonObjects() {
        SyncFrameException notJson = fault("{\"_tag\":\"Ping\"");
        assertNull(notJson.requestId());
        assertTrue(notJson.getMessage().startsWith("frame is not valid JSON: "), notJson.getMessage());
        SyncFrameException truncated = fault(golden0().substring(0, 200));
        assertEquals("0", truncated.requestId(), "the id came before the fault");
        assertTrue(truncated.getMessage().startsWith("frame is not valid JSON: "), truncated.getMessage());
        assertEquals("frame must be a JSON object (an Effect RPC envelope), got an array",
                fault("[{\"_tag\":\"Ping\"}]").getMessage());
        assertEquals("frame must be a JSON object (an Effect RPC envelope), got \"Ping\"", fault("\"Ping\"").getMessage());
        assertEquals("frame is empty (expected a JSON object, an Effect RPC envelope)", fault(" ").getMessage());
        assertEquals("frame has more after its JSON object (expected one envelope)",
                fault("{\"_tag\":\"Ping\"} {\"_tag\":\"Ping\"}").getMessage());
        assertTrue(fault("{'_tag':'Ping'}").getMessage().startsWith("frame is not valid JSON: "));
        // the parser's words, without its pointers to its own settings and sources
        assertEquals("frame is not valid JSON: Unexpected end-of-input: expected close marker for Object (at character 14)",
                notJson.getMessage());
        assertEquals("frame is not valid JSON: Non-standard token 'NaN' (at character 8)",
                fault("{\"a\":NaN}").getMessage());
        assertEquals("frame is not valid JSON: Document nesting depth (1001) exceeds the maximum allowed (1000)",
                fault("[".repeat(1001)).getMessage());
    }

    static String golden0() {
        try {
            return golden("pull-request.json");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unknownEnvelopeTagsAndRpcs() {
        assertEquals("frame: _tag must be \"Request\", \"Ack\", \"Interrupt\", \"Ping\" or \"Eof\", got \"Pong\"",
                fault("{\"_tag\":\"Pong\"}").getMessage());
        assertEquals("frame: _tag is missing (expected a string)", fault("{\"id\":\"1\"}").getMessage());
        SyncFrameException rpc = fault("{\"_tag\":\"Request\",\"id\":\"3\",\"tag\":\"SyncWsRpc.Admin\",\"payload\":{}}");
        assertEquals("3", rpc.requestId());
        assertEquals("request 3: tag must be one of \"SyncWsRpc.Pull\", \"SyncWsRpc.Push\", \"SyncHttpRpc.Pull\", "
                + "\"SyncHttpRpc.Push\", \"SyncHttpRpc.Ping\", got \"SyncWsRpc.Admin\"", rpc.getMessage());
        SyncFrameException noId = fault("{\"_tag\":\"Request\",\"id\":3,\"tag\":\"SyncWsRpc.Pull\",\"payload\":{}}");
        assertNull(noId.requestId());
        assertEquals("request: id must be a string, got 3", noId.getMessage());
        assertEquals("ack: requestId is missing (expected a string)", fault("{\"_tag\":\"Ack\"}").getMessage());
        assertEquals("frame: key \"_tag\" appears twice", fault("{\"_tag\":\"Ping\",\"_tag\":\"Eof\"}").getMessage());
    }

    @Test
    void missingOrMalformedPayload() {
        SyncFrameException missing = fault("{\"_tag\":\"Request\",\"id\":\"2\",\"tag\":\"SyncWsRpc.Push\",\"headers\":[]}");
        assertEquals("2", missing.requestId());
        assertEquals("push request 2: payload is missing (expected an object)", missing.getMessage());
        assertEquals("pull request 0: payload must be an object, got an array",
                fault("{\"payload\":[],\"_tag\":\"Request\",\"id\":\"0\",\"tag\":\"SyncWsRpc.Pull\"}").getMessage());
        assertEquals("pull request 0: storeId must be a string, got 1",
                fault("{\"_tag\":\"Request\",\"id\":\"0\",\"tag\":\"SyncWsRpc.Pull\",\"payload\":{\"storeId\":1}}")
                        .getMessage());
        assertEquals("pull request 0: live must be true or false, got \"yes\"", fault(
                "{\"_tag\":\"Request\",\"id\":\"0\",\"tag\":\"SyncWsRpc.Pull\",\"payload\":{\"storeId\":\"s\",\"live\":\"yes\","
                        + "\"cursor\":{\"_tag\":\"None\"}}}").getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.5 | push request 2: event #0 'todoCreated': seqNum must be an integer >= 0, got 1.5",
        "'\"1\"' | push request 2: event #0 'todoCreated': seqNum must be an integer >= 0, got \"1\"",
        "-1 | push request 2: event #0 'todoCreated': seqNum must be an integer >= 0, got -1",
        "1e3 | push request 2: event #0 'todoCreated': seqNum must be an integer >= 0, got 1e3",
        "1.0 | push request 2: event #0 'todoCreated': seqNum must be an integer >= 0, got 1.0",
        "null | push request 2: event #0 'todoCreated': seqNum must be an integer >= 0, got null",
        "9223372036854775808 | push request 2: event #0 'todoCreated': seqNum must be an integer >= 0, got 9223372036854775808",
    })
    void seqNumsMustBeIntegralNumbers(String seqNum, String message) {
        SyncFrameException e = fault(push("2", "[" + event("todoCreated", seqNum) + "]"));
        assertEquals("2", e.requestId());
        assertEquals(message, e.getMessage());
    }

    @Test
    void seqNumAtTheLongLimitIsStructurallyFine() {
        ClientFrame.Push push = (ClientFrame.Push) SyncFrames.decode(push("2", "[" + event("e", "9223372036854775807") + "]"));
        assertEquals(Long.MAX_VALUE, push.batch().get(0).seqNum());
    }

    @Test
    void malformedEvents() {
        assertEquals("push request 2: event #0 'todoCreated': args is missing (expected any JSON value)",
                fault(push("2", "[{\"name\":\"todoCreated\",\"seqNum\":1,\"parentSeqNum\":0,\"clientId\":\"c\","
                        + "\"sessionId\":\"s\"}]")).getMessage());
        assertEquals("push request 2: event #0: name must be a non-empty string, got \"\"",
                fault(push("2", "[" + event("", "1") + "]")).getMessage());
        assertEquals("push request 2: event #1 must be an object, got 7",
                fault(push("2", "[" + event("a", "1") + ",7]")).getMessage());
        assertEquals("push request 2: event #0 'a': parentSeqNum must be an integer >= 0, got -3",
                fault(push("2", "[" + event("a", "1").replace("\"parentSeqNum\":0", "\"parentSeqNum\":-3") + "]"))
                        .getMessage());
        assertEquals("push request 2: event #0 'a': clientId is missing (expected a string)",
                fault(push("2", "[" + event("a", "1").replace("\"clientId\":\"c\",", "") + "]")).getMessage());
    }

    @Test
    void batchMustBeAnArray() {
        SyncFrameException e = fault(push("2", "{\"0\":{}}"));
        assertEquals("2", e.requestId());
        assertEquals("push request 2: batch must be an array of events, got an object", e.getMessage());
        assertEquals("push request 2: batch is missing (expected an array of events)", fault(
                "{\"_tag\":\"Request\",\"id\":\"2\",\"tag\":\"SyncWsRpc.Push\",\"payload\":{\"storeId\":\"s\","
                        + "\"backendId\":{\"_tag\":\"None\"}}}").getMessage());
        assertEquals("push request 2: backendId._tag must be \"None\" or \"Some\", got \"Maybe\"",
                fault(push("2", "[]").replace("\"None\"", "\"Maybe\"")).getMessage());
        assertEquals("push request 2: backendId.value must be a string, got 5",
                fault(push("2", "[]").replace("{\"_tag\":\"None\"}", "{\"_tag\":\"Some\",\"value\":5}")).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "null | pull request 0: cursor must be {\"_tag\":\"None\"} or {\"_tag\":\"Some\",\"value\":{\"backendId\":…,\"eventSequenceNumber\":…}}, got null",
        "{} | pull request 0: cursor._tag is missing (expected \"None\" or \"Some\")",
        "{\"_tag\":\"Some\"} | pull request 0: cursor.value is missing (expected an object {\"backendId\":…,\"eventSequenceNumber\":…})",
        "{\"_tag\":\"Some\",\"value\":2} | pull request 0: cursor.value must be an object {\"backendId\":…,\"eventSequenceNumber\":…}, got 2",
        "{\"_tag\":\"Some\",\"value\":{\"backendId\":\"b\"}} | pull request 0: cursor.value: eventSequenceNumber is missing (expected an integer >= 0)",
        "{\"_tag\":\"Some\",\"value\":{\"backendId\":\"b\",\"eventSequenceNumber\":\"2\"}} | pull request 0: cursor.value: eventSequenceNumber must be an integer >= 0, got \"2\"",
        "{\"_tag\":\"Some\",\"value\":{\"eventSequenceNumber\":2}} | pull request 0: cursor.value: backendId is missing (expected a string)",
    })
    void malformedCursors(String cursor, String message) {
        SyncFrameException e = fault(pull("0", cursor));
        assertEquals("0", e.requestId());
        assertEquals(message, e.getMessage());
    }

    @Test
    void cursorMissingAndNoneWithAStrayValue() {
        assertEquals("pull request 0: cursor is missing (expected {\"_tag\":\"None\"} or {\"_tag\":\"Some\",\"value\":"
                + "{\"backendId\":…,\"eventSequenceNumber\":…}})", fault(pull("0", "{}").replace(",\"cursor\":{}", ""))
                .getMessage());
        assertEquals(new ClientFrame.Pull("0", "s", null, false, null),
                SyncFrames.decode(pull("0", "{\"_tag\":\"None\",\"value\":\"ignored\"}")));
    }

    static JsonNode tree(String json) {
        try {
            return TREES.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }
}
