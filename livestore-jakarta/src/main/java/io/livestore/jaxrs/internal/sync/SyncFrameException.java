package io.livestore.jaxrs.internal.sync;

/**
 * A client frame that is not a frame of the protocol (L7): not JSON, not an envelope the client sends, an
 * unknown RPC, or a payload whose structure is not the one LiveStore 0.4.0 writes. The message says, in the
 * client's terms, which request, which event and which field, what was expected and what came, for example
 * {@code push request 2: event #0 'todoCreated': seqNum must be an integer >= 0, got 1.5}.
 *
 * <p>The engine answers a bad Push with an {@code UnknownError} naming the message, and closes the
 * connection for anything else (protocol notes §5.4, §9 L7). No stack trace is kept: bad input is not a
 * failure of the server.
 */
public final class SyncFrameException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String requestId;

    /**
     * @param requestId the id of the request the frame belongs to, when it could be read, else null
     * @param message   what was wrong, in the client's terms
     */
    public SyncFrameException(String requestId, String message) {
        this(requestId, message, null);
    }

    /**
     * @param requestId the id of the request the frame belongs to, when it could be read, else null
     * @param message   what was wrong, in the client's terms
     * @param cause     the JSON parser's complaint, for a frame that is not JSON
     */
    public SyncFrameException(String requestId, String message, Throwable cause) {
        super(message, cause, false, false);
        this.requestId = requestId;
    }

    /**
     * The envelope's request id ({@code id} of a Request, {@code requestId} of an Ack or Interrupt) when it
     * could be read before the fault, else null: with it a bad Push can get its failure {@code Exit}.
     */
    public String requestId() {
        return requestId;
    }
}
