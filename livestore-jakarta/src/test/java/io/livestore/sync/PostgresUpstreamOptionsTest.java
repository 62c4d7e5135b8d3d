package io.livestore.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The options refuse what would break the SQL the upstream writes with them, naming the option. */
class PostgresUpstreamOptionsTest {

    @Test
    void applicationNameIsLettersDigitsDotsUnderscoresAndDashesOnly() {
        assertEquals("node-1.a_b", PostgresUpstreamOptions.builder().applicationName("node-1.a_b").build().applicationName());
        for (String bad : new String[] {"x'; DROP TABLE t; --", "a b", "a;b", "", "caf\u00e9", "x".repeat(49)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PostgresUpstreamOptions.builder().applicationName(bad), bad);
            assertTrue(e.getMessage().startsWith("applicationName must be"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> PostgresUpstreamOptions.builder().applicationName(null));
    }

    @Test
    void schemaIsAPlainLowerCaseIdentifierThatIsNotReservedNorPostgresOwn() {
        assertEquals("livestore_1", PostgresUpstreamOptions.builder().schema("livestore_1").build().schema());
        assertEquals("users", PostgresUpstreamOptions.builder().schema("users").build().schema());
        IllegalArgumentException user = assertThrows(IllegalArgumentException.class,
                () -> PostgresUpstreamOptions.builder().schema("user"));
        assertTrue(user.getMessage().contains("'user' is a reserved word"), user.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PostgresUpstreamOptions.builder().schema("order"));
        assertThrows(IllegalArgumentException.class, () -> PostgresUpstreamOptions.builder().schema("left"));
        IllegalArgumentException pg = assertThrows(IllegalArgumentException.class,
                () -> PostgresUpstreamOptions.builder().schema("pg_temp"));
        assertTrue(pg.getMessage().contains("pg_"), pg.getMessage());
        for (String bad : new String[] {"Public", "a-b", "a;b", "x'y", "1abc", ""}) {
            assertThrows(IllegalArgumentException.class, () -> PostgresUpstreamOptions.builder().schema(bad), bad);
        }
    }

    /** Under a millisecond it would be cast to 0 — which pgjdbc's getNotifications takes as "wait forever". */
    @Test
    void listenPollIntervalIsAtLeastOneMillisecond() {
        assertEquals(Duration.ofMillis(1),
                PostgresUpstreamOptions.builder().listenPollInterval(Duration.ofMillis(1)).build().listenPollInterval());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostgresUpstreamOptions.builder().listenPollInterval(Duration.ofNanos(999_999)));
        assertTrue(e.getMessage().contains("listenPollInterval must be at least 1 ms"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PostgresUpstreamOptions.builder().listenPollInterval(Duration.ZERO));
    }

    @Test
    void interestTtlIsAtLeastASecondAndFourListenPolls() {
        assertEquals(Duration.ofMinutes(2), PostgresUpstreamOptions.defaults().interestTtl());
        assertEquals(Duration.ofSeconds(1), PostgresUpstreamOptions.builder().interestTtl(Duration.ofSeconds(1))
                .listenPollInterval(Duration.ofMillis(250)).build().interestTtl());
        IllegalArgumentException shortTtl = assertThrows(IllegalArgumentException.class,
                () -> PostgresUpstreamOptions.builder().interestTtl(Duration.ofMillis(999)));
        assertTrue(shortTtl.getMessage().contains("interestTtl must be at least 1 s"), shortTtl.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PostgresUpstreamOptions.builder().interestTtl(Duration.ZERO));
        IllegalArgumentException slowPolls = assertThrows(IllegalArgumentException.class,
                () -> PostgresUpstreamOptions.builder().interestTtl(Duration.ofSeconds(3))
                        .listenPollInterval(Duration.ofSeconds(1)).build());
        assertTrue(slowPolls.getMessage().contains("at least four listenPollIntervals"), slowPolls.getMessage());
    }
}
