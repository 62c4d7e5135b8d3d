package io.livestore.store;

/**
 * Base of every exception this library throws for a caller to handle. Each subclass carries a stable
 * message id ({@code LIVESTORE-nnnn}) that starts its message, so logs and problem responses can be
 * matched to the documentation without parsing prose.
 *
 * <p>Exceptions are grouped by what a caller does about them; catch the meaning class, read the
 * message id for the exact case:
 * <ul>
 *   <li>{@link InvalidInputException} — fix the input (HTTP 400);</li>
 *   <li>{@link AccessRefusedException} — the application's policy said no (403);</li>
 *   <li>{@link ConflictException} — conflicts with the registry's current state (409);</li>
 *   <li>{@link EventRejectedException} — a commit's events were refused, nothing written (422);</li>
 *   <li>{@link StoreUnavailableException} — the store cannot serve now, later may work (503, with a
 *       retry hint when known);</li>
 *   <li>a direct subclass — a failure of the server's set-up, e.g. an injection that cannot be
 *       resolved (500).</li>
 * </ul>
 * Programming errors (a malformed schema, a wrong query, a lease used after close, two definitions
 * under one name) are {@link IllegalArgumentException} / {@link IllegalStateException} subclasses that
 * carry a message id too ({@link MessageIdentified}).
 *
 * <p>Ids by range: 01xx store, 02xx registry, 03xx CDI, 04xx JAX-RS.
 */
public abstract class LiveStoreException extends RuntimeException implements MessageIdentified {

    private final String messageId;
    private final String detail;
    // Set once by the code that knows which store a failure concerns (see concerning).
    private volatile String definition;
    private volatile String storeId;

    protected LiveStoreException(String messageId, String message, Throwable cause) {
        super(messageId + ": " + message, cause);
        this.messageId = messageId;
        this.detail = message;
    }

    protected LiveStoreException(String messageId, String message) {
        this(messageId, message, null);
    }

    /** The stable id of this kind of problem, for example {@code LIVESTORE-0101}. */
    @Override
    public String messageId() {
        return messageId;
    }

    /** The message without its leading message id. */
    @Override
    public String detail() {
        return detail;
    }

    /** The name of the definition of the store this concerns, or null when not known. */
    public String definition() {
        return definition;
    }

    /** The storeId this concerns, or null when not known. */
    public String storeId() {
        return storeId;
    }

    /**
     * Records which store this exception concerns, for error responses that name it without parsing
     * the message; the first record wins (a shared failure keeps the store it was raised for).
     *
     * @return this exception, to be thrown
     */
    public final LiveStoreException concerning(String definition, String storeId) {
        synchronized (this) {
            if (this.definition == null && this.storeId == null) {
                this.definition = definition;
                this.storeId = storeId;
            }
        }
        return this;
    }
}
