package io.livestore.jaxrs.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The configured path, normalized or refused with the key's name; the query decoded once; close reasons cut. */
class SyncPathTest {

    @Test
    void pathsAreNormalized() {
        assertEquals("/livestore", SyncPath.normalize("/livestore"));
        assertEquals("/sync/v1", SyncPath.normalize(" sync/v1/ "));
        assertEquals("/livestore/{definition}", SyncPath.endpointTemplate(SyncPath.DEFAULT));
    }

    @Test
    void templatesWildcardsAndQueriesAreRefused() {
        for (String bad : new String[] {"/a/{b}", "/a/*", "/a?x=1", "/a b", "/a//b", "/ä", "/", "", "/a/../b", "/./a", "/a\"b", "/a<b", "/a|b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyncPath.normalize(bad));
            assertTrue(e.getMessage().startsWith("livestore.sync.path is '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void aQueryThatIsNotPercentEncodingIsA400() {
        SyncRefusedException e = assertThrows(SyncRefusedException.class, () -> SyncQuery.handshake("d", "storeId=%zz"));
        assertEquals(400, e.status());
    }

    @Test
    void theFirstOccurrenceOfAParameterCounts() {
        assertEquals(new SyncHandshake("d", "a", "", null), SyncQuery.handshake("d", "storeId=a&storeId=b&payload&x=1"));
    }

    @Test
    void closeReasonsFit123BytesAtACharacterBoundary() {
        assertEquals("short", CloseReasons.fit("short"));
        String cut = CloseReasons.fit("😀".repeat(40)); // 160 bytes
        assertTrue(cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= CloseReasons.MAX_BYTES);
        assertEquals("😀".repeat(30) + "…", cut);
    }
}
