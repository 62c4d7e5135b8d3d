package io.livestore.store;

/**
 * A schema class is not well formed: an event without {@link EventName}, a duplicate name, invalid DDL, a name reserved for the library.
 *
 * <p>Message id {@code LIVESTORE-0110}.
 */
public class SchemaDefinitionException extends LiveStoreException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0110";

    /** @param message what went wrong, naming the store and event concerned */
    public SchemaDefinitionException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the store and event concerned
     * @param cause   the underlying failure
     */
    public SchemaDefinitionException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
