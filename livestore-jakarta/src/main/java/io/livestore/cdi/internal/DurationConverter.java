package io.livestore.cdi.internal;

import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Lets MicroProfile Config read {@link Duration}s in the library's forms ({@code 90s}, {@code 500ms},
 * {@code 2m}, {@code PT2M}, {@code forever}; see {@link DurationText}), for the application's own keys
 * too: {@code config.getValue("app.timeout", Duration.class)}. Registered through
 * {@code META-INF/services/org.eclipse.microprofile.config.spi.Converter}, at the default priority;
 * ISO-8601 values convert as they would without it.
 */
public final class DurationConverter implements Converter<Duration> {

    private static final long serialVersionUID = 1L;

    /** For the service loader. */
    public DurationConverter() {
    }

    @Override
    public Duration convert(String value) {
        if (value == null || value.isBlank()) {
            return null; // MicroProfile Config: an empty value is a missing one
        }
        return DurationText.parse(value).orElseThrow(() -> new IllegalArgumentException(
                "LIVESTORE-0330: '" + value + "' is not a duration; expected " + DurationText.EXPECTED));
    }
}
