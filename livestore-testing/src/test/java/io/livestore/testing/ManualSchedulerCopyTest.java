package io.livestore.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The library's own tests cannot depend on this module (it depends on the library), so they compile an
 * identical copy of {@link ManualScheduler} from their test sources. This keeps the two the same.
 */
class ManualSchedulerCopyTest {

    @Test
    void theLibraryTestsUseAnIdenticalCopy() throws IOException {
        Path here = Path.of("src/main/java/io/livestore/testing/ManualScheduler.java");
        Path copy = Path.of("../livestore-jakarta/src/test/java/io/livestore/testing/ManualScheduler.java");
        assertEquals(Files.readString(here), Files.readString(copy),
                "copy " + here + " over " + copy + " (or the other way) so both say the same");
    }
}
