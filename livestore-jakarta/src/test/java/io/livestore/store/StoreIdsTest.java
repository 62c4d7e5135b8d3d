package io.livestore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** S5: storeIds are validated before any file is touched and map injectively into the data directory. */
class StoreIdsTest {

    @TempDir
    Path dir;

    static final String ID_129 = "a".repeat(129);

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "C:\\x", "nul\u0000", ".", "..", "", " a", "a b", "é", "a\nb", "x/../../etc"})
    void invalidIdsAreRejectedBeforeAnyFileExists(String id) throws IOException {
        StoreOpener<IssueSchema> opener = StoreOpener.builder("issue", IssueSchema.class)
                .storage(StoreStorage.directory(dir.resolve("data"))).build();
        InvalidStoreIdException e = assertThrows(InvalidStoreIdException.class, () -> opener.open(id));
        assertEquals("LIVESTORE-0101", e.messageId());
        assertTrue(e.getMessage().contains("for definition 'issue'"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 1-128 characters of [A-Za-z0-9._:-]"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("data")), "nothing may be created for a rejected id");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void tooLongIdIsRejectedAndTheMessageShowsItsLength() {
        InvalidStoreIdException e = assertThrows(InvalidStoreIdException.class, () -> StoreIds.requireValid("issue", ID_129));
        assertTrue(e.getMessage().contains("(129 characters)"), e.getMessage());
        assertEquals("a".repeat(128), StoreIds.requireValid("issue", "a".repeat(128)));
    }

    @Test
    void controlCharactersAreEscapedInMessages() {
        InvalidStoreIdException e = assertThrows(InvalidStoreIdException.class, () -> StoreIds.requireValid("issue", "a\u0000b"));
        assertTrue(e.getMessage().contains("'a\\u0000b'"), e.getMessage());
    }

    @Test
    void definitionNamesAreValidatedToo() {
        assertThrows(InvalidStoreIdException.class, () -> StoreOpener.builder("../up", IssueSchema.class));
        assertThrows(InvalidStoreIdException.class, () -> StoreOpener.builder("", IssueSchema.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "A", "Issue-42", "org:acme", "x.y_z", "-", "_", ".hidden", "...", "ABCdefGHI", "a:b:C"})
    void fileNameRoundTripsAndIsSafeEverywhere(String id) {
        String name = StoreIds.fileName(id);
        assertEquals(id, StoreIds.fromFileName(name));
        assertTrue(name.matches("[a-z0-9._=~-]+"), name);
        assertEquals(name, name.toLowerCase(Locale.ROOT), "no upper case: distinct on case-insensitive file systems");
    }

    @Test
    void mappingIsInjectiveIncludingCaseVariants() {
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        Random random = new Random(42);
        String alphabet = "aAbB0._:-zZ";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + random.nextInt(6);
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String id = sb.toString();
            if (StoreIds.isValidName(id) && ids.add(id)) {
                assertTrue(names.add(StoreIds.fileName(id)), "collision for " + id);
            }
        }
        assertNotEquals(StoreIds.fileName("Ab"), StoreIds.fileName("ab"));
    }

    @Test
    void worstCaseFileNameFitsFileSystemLimits() {
        StringBuilder alternating = new StringBuilder();
        for (int i = 0; i < 128; i++) {
            alternating.append(i % 2 == 0 ? 'A' : 'b');
        }
        String name = StoreIds.fileName(alternating.toString()) + ".db-wal";
        assertTrue(name.length() <= 255, "length " + name.length());
    }

    @Test
    void filesLiveInsideTheDataDirectoryUnderTheDefinitionFolder() {
        StoreOpener<IssueSchema> opener = StoreOpener.builder("issue", IssueSchema.class)
                .storage(StoreStorage.directory(dir)).build();
        Path file = opener.databaseFile("Org:Acme").orElseThrow();
        assertEquals(dir.toAbsolutePath().resolve("issue").resolve("org=acme~h.db"), file);
        opener.open("Org:Acme").close();
        opener.open("org:acme").close();
        assertTrue(Files.exists(file));
        assertTrue(Files.exists(dir.resolve("issue").resolve("org=acme.db")));
    }
}
