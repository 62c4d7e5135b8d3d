package io.livestore.store;

/**
 * Base of every exception this library throws on purpose. Each subclass carries a stable message id
 * ({@code LIVESTORE-nnnn}) that starts its message, so logs and problem responses can be matched to
 * the documentation without parsing prose.
 *
 * <p>Ids by range: 01xx store, 02xx registry, 03xx CDI, 04xx JAX-RS.
 */
public abstract class LiveStoreException extends RuntimeException {

    private final String messageId;
    private final String detail;

    protected LiveStoreException(String messageId, String message, Throwable cause) {
        super(messageId + ": " + message, cause);
        this.messageId = messageId;
        this.detail = message;
    }

    protected LiveStoreException(String messageId, String message) {
        this(messageId, message, null);
    }

    /** The stable id of this kind of problem, for example {@code LIVESTORE-0101}. */
    public String messageId() {
        return messageId;
    }

    /** The message without its leading message id. */
    public String detail() {
        return detail;
    }
}
