package io.livestore.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.livestore.store.Event;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The event payload codec: Jackson configured as the store's EventCodec (one ObjectWriter/ObjectReader
 * per event type, JavaTimeModule) against Yasson (JSON-B), encode + decode of the same event record.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CodecBench {

    /** The same configuration as io.livestore.store.internal.EventCodec (not public there). */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    @Param({"ItemAdded", "ItemTouched"})
    public String event;

    Event value;
    Class<? extends Event> type;
    ObjectWriter writer;
    ObjectReader reader;
    Jsonb jsonb;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        switch (event) {
            case "ItemAdded" -> value = new BenchSchema.ItemAdded(BenchSchema.itemId(4711), BenchSchema.title(4711), 4711);
            case "ItemTouched" -> value = new BenchSchema.ItemTouched(BenchSchema.itemId(4711), 42,
                    Instant.parse("2025-06-01T12:34:56.789Z"));
            default -> throw new IllegalArgumentException(event);
        }
        type = value.getClass();
        writer = MAPPER.writerFor(type);
        reader = MAPPER.readerFor(type);
        jsonb = JsonbBuilder.create();
        // Both sides must round-trip the record exactly, or the comparison is meaningless.
        if (!value.equals(jackson()) || !value.equals(yasson())) {
            throw new IllegalStateException("codec does not round-trip " + value + ": jackson "
                    + writer.writeValueAsString(value) + ", yasson " + jsonb.toJson(value));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        jsonb.close();
    }

    @Benchmark
    public Object jackson() throws IOException {
        String json = writer.writeValueAsString(value);
        return reader.readValue(json);
    }

    @Benchmark
    public Object yasson() {
        String json = jsonb.toJson(value);
        return jsonb.fromJson(json, type);
    }
}
