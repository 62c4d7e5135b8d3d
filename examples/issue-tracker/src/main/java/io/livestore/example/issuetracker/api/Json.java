package io.livestore.example.issuetracker.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.livestore.example.issuetracker.api.problem.ApiProblem;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * JSON in and out of the API, with Jackson. Resources take and return strings, so neither Jersey nor
 * RESTEasy needs a JSON provider and both write exactly the same bytes. Times are ISO-8601 strings,
 * as in the library's live query events.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Jackson turns 5, true and 1.5 into "5", "true" and "1.5" for a String field by default:
            // the API promises 400 for a field of the wrong type, so scalars are never coerced to text.
            .withCoercionConfig(com.fasterxml.jackson.databind.type.LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private Json() {
    }

    /** {@code value} as JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /**
     * The request body as a {@code type}, a record whose constructor validates its fields. Checked in
     * this order, so the answer names the first thing to fix: JSON syntax, then the shape (an object
     * with only the record's fields, of the right types) — 400 for both — then the content (the 422 the
     * record's constructor raises).
     *
     * @throws ApiProblem when the body does not pass
     */
    public static <T extends Record> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw ApiProblem.badRequest("the request body is empty; send a JSON object");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!tree.isObject()) {
            throw ApiProblem.badRequest("the request body must be a JSON object");
        }
        Set<String> fields = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        tree.fieldNames().forEachRemaining(name -> {
            if (!fields.contains(name)) {
                throw ApiProblem.badRequest("unknown field '" + name + "'; known fields: " + String.join(", ", fields));
            }
        });
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof ApiProblem problem) {
                throw problem;
            }
            throw ApiProblem.badRequest("the request body does not fit: " + e.getOriginalMessage());
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                    .filter(Objects::nonNull).collect(Collectors.joining("."));
            throw ApiProblem.badRequest("field '" + field + "' has the wrong type");
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("the request body does not fit: " + e.getOriginalMessage());
        }
    }
}
