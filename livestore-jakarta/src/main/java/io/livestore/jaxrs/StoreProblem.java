package io.livestore.jaxrs;

import io.livestore.store.LiveStoreException;
import io.livestore.store.MessageIdentified;

/**
 * Carries a failure met while making a request's store ready to {@link LiveStoreProblemMapper}, together
 * with the definition and storeId the problem response names (C6) when the failure itself does not
 * know them (a bad id, an application's resolver or policy that threw). It decides nothing: the mapper
 * answers by the meaning class of the cause ({@link io.livestore.store.InvalidInputException} 400, ...),
 * and its message id is the cause's, so the response's {@code messageId} says exactly what happened.
 *
 * <p>Message id {@code LIVESTORE-0400} when the cause is not one of the library's (an application's
 * resolver or policy threw).
 */
public class StoreProblem extends LiveStoreException {

    /** The message id of a problem whose cause is not one of the library's exceptions. */
    public static final String ID = "LIVESTORE-0400";

    private final int status;
    private final Integer retryAfterSeconds;

    /**
     * @param definition the definition's name
     * @param storeId    the storeId (as given, possibly invalid), or null if it could not be worked out
     * @param cause      what went wrong
     */
    public StoreProblem(String definition, String storeId, Throwable cause) {
        this(0, definition, storeId, null, cause);
    }

    /**
     * The former form, where the thrower chose the status.
     *
     * @param status            used only when {@code cause} is not one of the library's exceptions (whose
     *                          meaning decides the status otherwise); 0 = 500
     * @param definition        the definition's name
     * @param storeId           the storeId (as given, possibly invalid), or null if it could not be worked out
     * @param retryAfterSeconds a Retry-After value for a 503, or null for the cause's own hint
     * @param cause             what went wrong
     * @deprecated the status follows from the cause's meaning: use {@link #StoreProblem(String, String, Throwable)}
     */
    @Deprecated
    public StoreProblem(int status, String definition, String storeId, Integer retryAfterSeconds, Throwable cause) {
        super(cause instanceof MessageIdentified m ? m.messageId() : ID,
                cause instanceof MessageIdentified m ? m.detail() : String.valueOf(cause.getMessage()), cause);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        concerning(definition, storeId);
    }

    /** The status the thrower asked for when the cause has no meaning of its own, 0 when none. */
    int fallbackStatus() {
        return status;
    }

    /** Seconds for Retry-After the thrower asked for, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * The status the thrower asked for (0 when none).
     *
     * @deprecated the mapper decides the status ({@link LiveStoreProblemMapper#statusOf(LiveStoreException)})
     */
    @Deprecated
    public int status() {
        return status;
    }
}
