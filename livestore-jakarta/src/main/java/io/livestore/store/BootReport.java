package io.livestore.store;

import java.time.Duration;

/**
 * What opening a store did.
 *
 * @param storeId        the store
 * @param outcome        whether the store was created, opened as it was, or had its tables rebuilt
 * @param head           the log's last sequence number after opening
 * @param eventsReplayed how many events were replayed into the tables (0 unless rebuilt)
 * @param schemaHash     the schema hash the tables now match
 * @param previousHash   the hash the tables had before a rebuild, else {@code null}
 * @param duration       how long opening took, rebuild included
 */
public record BootReport(String storeId, Outcome outcome, long head, long eventsReplayed,
                         String schemaHash, String previousHash, Duration duration) {

    /** How a store came to be open. */
    public enum Outcome {
        /** No store existed: files and tables were created. */
        CREATED,
        /** The tables matched the schema and were used as they were. */
        OPENED,
        /** The schema changed: the tables were dropped and rebuilt by replaying the whole log. */
        REBUILT
    }

    /** True when the tables were rebuilt from the log. */
    public boolean rebuilt() {
        return outcome == Outcome.REBUILT;
    }
}
