package io.livestore.registry;

import io.livestore.store.MessageIdentified;

/**
 * Two different definition instances with the same name were used with one registry; a name identifies one definition.
 *
 * <p>A programming error, hence an {@link IllegalArgumentException}: the application builds a second definition under a name already taken; the fix is one shared definition, not a retry.
 *
 * <p>Message id {@code LIVESTORE-0206}.
 */
public class DefinitionConflictException extends IllegalArgumentException implements MessageIdentified {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0206";


    /** @param message what went wrong, in the terms of the code that made the mistake */
    public DefinitionConflictException(String message) {
        this(message, null);
    }

    /**
     * @param message what went wrong, in the terms of the code that made the mistake
     * @param cause   the underlying failure, or null
     */
    public DefinitionConflictException(String message, Throwable cause) {
        super(ID + ": " + message, cause);
    }

    @Override
    public String messageId() {
        return ID;
    }
}
