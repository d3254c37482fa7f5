package fr.spie.schema;

import java.util.Objects;

/**
 * One validation problem.
 *
 * @param pointer RFC 6901 JSON Pointer into the validated document ({@code ""} = root). For envelope validation,
 *                payload problems are prefixed with {@code /payload}. A missing required property is reported at the
 *                pointer of the missing property itself (e.g. {@code /subject/birthDate}) with the message
 *                {@code "is required"}; an unknown (not allowed) property is reported at its own pointer too.
 * @param message clear English message, e.g. {@code "must be one of [open-payable, ...]"}, {@code "is required"},
 *                {@code "must be a valid date (YYYY-MM-DD)"}
 */
public record Violation(String pointer, String message) {
    public Violation {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return (pointer.isEmpty() ? "(root)" : pointer) + ": " + message;
    }
}
