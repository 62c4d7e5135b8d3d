package io.livestore.store;

/**
 * How hard a commit works to survive failures. Stores always use SQLite's write-ahead log.
 */
public enum Durability {
    /**
     * {@code synchronous=NORMAL}: an acknowledged commit survives the process being killed (the crash
     * test proves it); the last commits before an operating-system crash or power loss may be lost,
     * never half-applied. The default.
     */
    PROCESS_CRASH("NORMAL"),
    /** {@code synchronous=FULL}: every acknowledged commit is synced to disk and also survives power loss. */
    POWER_LOSS("FULL");

    private final String pragma;

    Durability(String pragma) {
        this.pragma = pragma;
    }

    String synchronousPragma() {
        return pragma;
    }
}
