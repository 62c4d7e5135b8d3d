package io.livestore.store;

/**
 * A failure that carries a stable message id ({@code LIVESTORE-nnnn}) ahead of its message. Shared by
 * {@link LiveStoreException} (failures a caller handles: bad input, refusal, unavailable store) and
 * the programming errors, which stay {@link IllegalArgumentException} / {@link IllegalStateException}
 * so that code and tools treat them as bugs ({@link SchemaDefinitionException}, {@link QueryException},
 * and in the registry {@code DefinitionConflictException}, {@code LeaseClosedException}).
 */
public interface MessageIdentified {

    /** The stable id of this kind of problem, for example {@code LIVESTORE-0101}. */
    String messageId();

    /**
     * The message without its leading message id. By default the {@link #getMessage() message} after
     * its {@code "LIVESTORE-nnnn: "} prefix, which is how every library exception is built.
     */
    default String detail() {
        String message = getMessage();
        String prefix = messageId() + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** The whole message, id first ({@link Throwable#getMessage()}). */
    String getMessage();
}
