package io.livestore.store;


/**
 * A schema class is not well formed: an event without {@link EventName}, a duplicate name, invalid DDL, a name reserved for the library.
 *
 * <p>A programming error, hence an {@link IllegalArgumentException}: the schema class handed to the library is wrong and no retry or other input at run time changes that; it surfaces when the definition is built or at deployment.
 *
 * <p>Message id {@code LIVESTORE-0110}.
 */
public class SchemaDefinitionException extends IllegalArgumentException implements MessageIdentified {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0110";


    /** @param message what went wrong, in the terms of the code that made the mistake */
    public SchemaDefinitionException(String message) {
        this(message, null);
    }

    /**
     * @param message what went wrong, in the terms of the code that made the mistake
     * @param cause   the underlying failure, or null
     */
    public SchemaDefinitionException(String message, Throwable cause) {
        super(ID + ": " + message, cause);
    }

    @Override
    public String messageId() {
        return ID;
    }
}
