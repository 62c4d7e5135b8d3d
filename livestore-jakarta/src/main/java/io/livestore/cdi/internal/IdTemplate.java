package io.livestore.cdi.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A storeId as written in {@link io.livestore.cdi.LiveStore#id()}: literal text with {@code {name}} placeholders for
 * path parameters ({@code "{issueId}"}, {@code "org-{orgId}"}). Parsed once at deployment.
 */
public final class IdTemplate {

    private final String source;
    /** Literal text and parameter names, alternating: even indexes literal, odd indexes parameter. */
    private final List<String> parts;

    private IdTemplate(String source, List<String> parts) {
        this.source = source;
        this.parts = parts;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException for unbalanced braces or an empty parameter name
     */
    public static IdTemplate parse(String source) {
        Objects.requireNonNull(source, "source");
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '{') {
                int end = source.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed '{' at position " + i);
                }
                String name = source.substring(i + 1, end).strip();
                if (name.isEmpty() || name.contains("{")) {
                    throw new IllegalArgumentException("empty or nested parameter at position " + i);
                }
                parts.add(literal.toString());
                parts.add(name);
                literal.setLength(0);
                i = end + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("'}' without '{' at position " + i);
            } else {
                literal.append(c);
                i++;
            }
        }
        parts.add(literal.toString());
        return new IdTemplate(source, List.copyOf(parts));
    }

    /** True when the template has no placeholders. */
    public boolean isLiteral() {
        return parts.size() == 1;
    }

    /** The path parameters it needs, in order. */
    public List<String> parameters() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i < parts.size(); i += 2) {
            names.add(parts.get(i));
        }
        return names;
    }

    /** The id for these path parameter values; null when one is missing (its name is then in {@link #missing}). */
    public String resolve(Map<String, String> pathParameters) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 0) {
                sb.append(parts.get(i));
            } else {
                String value = pathParameters == null ? null : pathParameters.get(parts.get(i));
                if (value == null) {
                    return null;
                }
                sb.append(value);
            }
        }
        return sb.toString();
    }

    /** The first parameter missing from {@code pathParameters}, or null. */
    public String missing(Map<String, String> pathParameters) {
        for (String name : parameters()) {
            if (pathParameters == null || !pathParameters.containsKey(name)) {
                return name;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return source;
    }
}
