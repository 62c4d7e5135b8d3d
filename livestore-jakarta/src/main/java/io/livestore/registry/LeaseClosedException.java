package io.livestore.registry;

import io.livestore.store.MessageIdentified;

/**
 * A lease was used after it was closed.
 *
 * <p>A programming error, hence an {@link IllegalStateException}: the caller's own code closed the lease and went on using it.
 *
 * <p>Message id {@code LIVESTORE-0207}.
 */
public class LeaseClosedException extends IllegalStateException implements MessageIdentified {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0207";


    /** @param message what went wrong, in the terms of the code that made the mistake */
    public LeaseClosedException(String message) {
        this(message, null);
    }

    /**
     * @param message what went wrong, in the terms of the code that made the mistake
     * @param cause   the underlying failure, or null
     */
    public LeaseClosedException(String message, Throwable cause) {
        super(ID + ": " + message, cause);
    }

    @Override
    public String messageId() {
        return ID;
    }
}
