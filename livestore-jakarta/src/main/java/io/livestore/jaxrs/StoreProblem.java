package io.livestore.jaxrs;

import io.livestore.store.LiveStoreException;

/**
 * A store a request needs could not be made ready — bad id, refused, failed or slow load — with the
 * HTTP status and the definition and storeId the problem response names (C6). Carries the message id of
 * its cause, so the response's {@code messageId} says exactly what happened.
 */
public class StoreProblem extends LiveStoreException {

    private final int status;
    private final Integer retryAfterSeconds;

    /**
     * @param status            the HTTP status to answer
     * @param definition        the definition's name
     * @param storeId           the storeId (as given, possibly invalid), or null if it could not be worked out
     * @param retryAfterSeconds a Retry-After value for 503s, or null
     * @param cause             what went wrong
     */
    public StoreProblem(int status, String definition, String storeId, Integer retryAfterSeconds, Throwable cause) {
        super(cause instanceof LiveStoreException l ? l.messageId() : "LIVESTORE-0400",
                cause instanceof LiveStoreException l ? l.detail() : String.valueOf(cause.getMessage()), cause);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        concerning(definition, storeId);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** Seconds for Retry-After, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
