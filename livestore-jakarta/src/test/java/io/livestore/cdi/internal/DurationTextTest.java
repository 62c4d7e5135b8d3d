package io.livestore.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.registry.StoreDefinition;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void readsUnitsIsoAndForever() {
        assertEquals(Optional.of(Duration.ofMillis(500)), DurationText.parse("500ms"));
        assertEquals(Optional.of(Duration.ofSeconds(90)), DurationText.parse("90s"));
        assertEquals(Optional.of(Duration.ofSeconds(90)), DurationText.parse(" 90 s "));
        assertEquals(Optional.of(Duration.ofMinutes(2)), DurationText.parse("2m"));
        assertEquals(Optional.of(Duration.ofHours(1)), DurationText.parse("1H"));
        assertEquals(Optional.of(Duration.ofDays(3)), DurationText.parse("3d"));
        assertEquals(Optional.of(Duration.ofMinutes(2)), DurationText.parse("PT2M"));
        assertEquals(Optional.of(Duration.ofMinutes(2)), DurationText.parse("pt2m"));
        assertEquals(Optional.of(StoreDefinition.FOREVER), DurationText.parse("forever"));
        assertEquals(Optional.of(StoreDefinition.FOREVER), DurationText.parse("FOREVER"));
    }

    @Test
    void refusesWhatIsNoDuration() {
        for (String bad : new String[] {"", "s", "90", "90x", "ninety seconds", "1.5s", "-5s", "PT", "99999999999999999999s"}) {
            assertTrue(DurationText.parse(bad).isEmpty(), bad);
        }
    }

    @Test
    void theConverterReadsTheSameFormsAndNamesTheValueItRefuses() {
        DurationConverter converter = new DurationConverter();
        assertEquals(Duration.ofSeconds(90), converter.convert("90s"));
        assertEquals(StoreDefinition.FOREVER, converter.convert("forever"));
        assertEquals(null, converter.convert(""), "empty is missing (MicroProfile Config)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> converter.convert("soon"));
        assertTrue(e.getMessage().startsWith("LIVESTORE-0330: 'soon' is not a duration"), e.getMessage());
    }
}
