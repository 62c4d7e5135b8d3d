package io.livestore.store;

/**
 * A storeId or definition name is not acceptable (S5); thrown before any file is touched.
 *
 * <p>Message id {@code LIVESTORE-0101}.
 */
public class InvalidStoreIdException extends InvalidInputException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0101";

    /** @param message what went wrong, naming the store and event concerned */
    public InvalidStoreIdException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the store and event concerned
     * @param cause   the underlying failure
     */
    public InvalidStoreIdException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
