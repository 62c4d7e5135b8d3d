package io.livestore.store;

import java.time.Duration;
import java.util.Optional;

/**
 * The store's upstream log holds an event whose name this node's schema does not declare — another node
 * runs a newer version of the application (a rolling deploy, Y8). The event is never skipped: the store
 * takes no further events on this node, so it refuses commits, while reads are still answered from the
 * state before that event. Deploying this node with a schema that declares the event ends it. HTTP 503
 * with Retry-After.
 *
 * <p>Message id {@code LIVESTORE-0161}.
 */
public class SchemaBehindLogException extends StoreUnavailableException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0161";

    private final String eventName;
    private final Duration retryAfter;

    /**
     * @param message    what is refused, naming the store and the event
     * @param eventName  the name of the unknown event
     * @param retryAfter how long a caller should wait before trying again
     */
    public SchemaBehindLogException(String message, String eventName, Duration retryAfter) {
        super(ID, message);
        this.eventName = eventName;
        this.retryAfter = retryAfter;
    }

    /** The name of the event this node's schema does not declare. */
    public String eventName() {
        return eventName;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
