package io.livestore.cdi.internal;

import io.livestore.registry.StoreDefinition;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * The text form of durations in configuration: ISO-8601 ({@code PT2M}), a whole number with a unit
 * ({@code 500ms}, {@code 90s}, {@code 2m}, {@code 1h}, {@code 1d}), or {@code forever}
 * ({@link StoreDefinition#FOREVER}).
 */
public final class DurationText {

    /** What a valid value looks like, for error messages. */
    public static final String EXPECTED = "an ISO-8601 duration (PT2M), a whole number with ms, s, m, h or d (90s), or 'forever'";

    private DurationText() {
    }

    /** The duration {@code text} stands for, or empty if it is none of the accepted forms. */
    public static Optional<Duration> parse(String text) {
        String v = text.strip().toLowerCase(Locale.ROOT);
        if (v.equals("forever") || v.equals("infinity")) {
            return Optional.of(StoreDefinition.FOREVER);
        }
        try {
            if (v.startsWith("p") || v.startsWith("-p") || v.startsWith("+p")) {
                return Optional.of(Duration.parse(v.toUpperCase(Locale.ROOT)));
            }
            int unitStart = 0;
            while (unitStart < v.length() && Character.isDigit(v.charAt(unitStart))) {
                unitStart++;
            }
            if (unitStart == 0) {
                return Optional.empty();
            }
            long n = Long.parseLong(v.substring(0, unitStart));
            switch (v.substring(unitStart).strip()) {
                case "ms":
                    return Optional.of(Duration.ofMillis(n));
                case "s":
                    return Optional.of(Duration.ofSeconds(n));
                case "m":
                    return Optional.of(Duration.ofMinutes(n));
                case "h":
                    return Optional.of(Duration.ofHours(n));
                case "d":
                    return Optional.of(Duration.ofDays(n));
                default:
                    return Optional.empty();
            }
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
