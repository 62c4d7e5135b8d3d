package io.livestore.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * What must hold of a registry whenever nothing is in the middle of a transition: the loaded count is
 * the number of READY entries, no READY entry holds a closed store, the flags of the retention word
 * agree with the phase, every unretained store with a finite time has a timer that will look at it, and
 * a closed registry holds nothing. Tests call it after each test ({@link StoreRegistry#checkInvariants()}).
 */
final class RegistryInvariants {

    private RegistryInvariants() {
    }

    /** Throws unless every invariant holds, retrying for up to 5 s while transitions on other threads complete. */
    static void check(StoreRegistry registry) {
        List<String> found = violations(registry);
        for (int i = 0; i < 500 && !found.isEmpty(); i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
            found = violations(registry);
        }
        if (!found.isEmpty()) {
            throw new AssertionError("registry invariants violated: " + found);
        }
    }

    /** The violations seen now; empty when every invariant holds. */
    static List<String> violations(StoreRegistry registry) {
        List<String> found = new ArrayList<>();
        int ready = 0;
        for (RegistryEntry e : registry.entries()) {
            synchronized (e.lock) {
                long w = e.word();
                int count = RegistryEntry.count(w);
                String who = e.describe() + " " + e.phase + " (retentions " + count + ")";
                if (count < 0) {
                    found.add(who + ": negative retention count");
                }
                if ((w & RegistryEntry.CUSTOM_BIT) != 0 && count == 0) {
                    found.add(who + ": a period with its own time but no retention");
                }
                if ((w & RegistryEntry.ACCESSED_BIT) != 0 && count == 0) {
                    found.add(who + ": an access left for a release but no retention");
                }
                boolean claimed = (w & RegistryEntry.CLOSING_BIT) != 0;
                switch (e.phase) {
                    case READY -> {
                        ready++;
                        if (claimed) {
                            found.add(who + ": claimed for closing but still READY");
                        }
                        if (e.store == null || e.store.isClosed()) {
                            found.add(who + ": READY with a closed store");
                        }
                        long deadline = e.deadline();
                        if (count == 0 && deadline != Long.MAX_VALUE && e.timerDueNanos > deadline) {
                            found.add(who + ": unretained without a timer due by its deadline");
                        }
                    }
                    case LOADING -> {
                        if (claimed) {
                            found.add(who + ": claimed for closing but still LOADING");
                        }
                    }
                    case CLOSING, CLOSED -> {
                        if (!claimed) {
                            found.add(who + ": closing without the closing flag (a retention could still be counted)");
                        }
                    }
                    default -> throw new IllegalStateException(String.valueOf(e.phase));
                }
                if (e.phase == RegistryEntry.Phase.CLOSED && registry.entry(e.storeId) == e
                        && (e.previous == null || e.previous.closed.isDone())) {
                    found.add(who + ": closed but still reachable");
                }
            }
        }
        if (ready != registry.loadedCount()) {
            found.add("loaded count " + registry.loadedCount() + " but " + ready + " READY entries");
        }
        if (registry.isClosed() && (ready > 0 || registry.entries().iterator().hasNext())) {
            found.add("closed registry still holds entries");
        }
        return found;
    }
}
