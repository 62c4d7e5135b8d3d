package io.livestore.store.internal;

import io.livestore.store.Event;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Event payloads as JSON, through Jackson. One writer and reader per event type, made once: they
 * are immutable and thread-safe, and reusing them is what keeps encoding off the commit's critical cost.
 *
 * <p>Jackson rather than JSON-B: the store layer must not depend on jakarta.*, and Jackson was the
 * faster of the two in the codec benchmark (README, "Benchmarks").
 */
final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            // Old events stay readable after a field is removed from their record.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private final ObjectWriter writer;
    private final ObjectReader reader;

    EventCodec(Class<? extends Event> type) {
        this.writer = MAPPER.writerFor(type);
        this.reader = MAPPER.readerFor(type);
    }

    String encode(Event event) throws JsonProcessingException {
        return writer.writeValueAsString(event);
    }

    Event decode(String json) throws JsonProcessingException {
        return reader.readValue(json);
    }
}
