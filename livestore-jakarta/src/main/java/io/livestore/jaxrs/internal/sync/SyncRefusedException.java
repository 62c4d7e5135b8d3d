package io.livestore.jaxrs.internal.sync;

/**
 * A connection refused before it is opened (L6, L7): an unknown or closed definition, an invalid storeId,
 * an undecodable payload, or the application's {@code StoreAccessPolicy} saying no. Nothing was read or
 * written. A WebSocket transport answers the upgrade with {@link #status()} (no upgrade); the HTTP transport
 * with a problem document of that status.
 */
public final class SyncRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status  the HTTP status: 400 invalid input, 403 refused by a policy, 404 no such endpoint or
     *                definition, 500 the application's access check failed, 503 unavailable
     * @param message what was wrong, in the client's terms (which definition, which storeId, what was expected)
     */
    public SyncRefusedException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status to answer with. */
    public int status() {
        return status;
    }
}
