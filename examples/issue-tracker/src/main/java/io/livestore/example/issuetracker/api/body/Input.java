package io.livestore.example.issuetracker.api.body;

import io.livestore.example.issuetracker.api.problem.ApiProblem;

/** The rules every text field of a request follows: trimmed, and within bounds, else a 422 that names the field. */
final class Input {

    private Input() {
    }

    /** A required text: present, not blank, at most {@code max} characters once trimmed. */
    static String required(String value, String field, int max) {
        if (value == null) {
            throw ApiProblem.invalid(field + " is required");
        }
        String text = value.strip();
        if (text.isEmpty()) {
            throw ApiProblem.invalid(field + " must not be empty");
        }
        return bounded(text, field, max);
    }

    /** An optional text: {@code fallback} when absent or blank, else at most {@code max} characters once trimmed. */
    static String optional(String value, String field, int max, String fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return bounded(value.strip(), field, max);
    }

    private static String bounded(String text, String field, int max) {
        if (text.length() > max) {
            throw ApiProblem.invalid(field + " must be at most " + max + " characters, was " + text.length());
        }
        return text;
    }
}
