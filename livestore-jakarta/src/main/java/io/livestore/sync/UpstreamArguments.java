package io.livestore.sync;

import io.livestore.store.StoreIds;
import io.livestore.store.spi.LogEvent;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The checks every upstream of this package makes before it reaches its log, and the one decision it
 * makes with the log's events in hand (is this append a retry?), so that the implementations agree to
 * the letter on the {@link io.livestore.store.spi.Upstream} contract.
 *
 * <p>Wrong arguments are programming errors of the caller (the registry), hence
 * {@link IllegalArgumentException}; the messages name the store and the event in the caller's terms.
 */
final class UpstreamArguments {

    private UpstreamArguments() {
    }

    /** @throws IllegalArgumentException unless {@code storeId} follows the store rules ({@link StoreIds}) */
    static String requireStoreId(String storeId) {
        if (!StoreIds.isValidName(storeId)) {
            throw new IllegalArgumentException("not a storeId: " + quote(storeId) + " (expected 1-"
                    + StoreIds.MAX_LENGTH + " characters of [A-Za-z0-9._:-], not '.' or '..')");
        }
        return storeId;
    }

    /** Checks every id of {@code storeIds}; answers them without repeats. */
    static Set<String> requireStoreIds(Collection<String> storeIds) {
        Objects.requireNonNull(storeIds, "storeIds");
        Set<String> distinct = new HashSet<>();
        for (String storeId : storeIds) {
            distinct.add(requireStoreId(storeId));
        }
        return distinct;
    }

    /**
     * Checks an append's form: a valid storeId, a head not below 0, at least one event, numbered from
     * {@code expectedHead + 1} without gaps, no event id twice.
     */
    static void requireAppend(String storeId, long expectedHead, List<LogEvent> events) {
        requireStoreId(storeId);
        Objects.requireNonNull(events, "events");
        if (expectedHead < 0) {
            throw new IllegalArgumentException("append to store '" + storeId + "': the expected head is never "
                    + "negative, was " + expectedHead);
        }
        if (events.isEmpty()) {
            throw new IllegalArgumentException("append to store '" + storeId + "' after " + expectedHead
                    + ": no events");
        }
        Set<String> eventIds = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            LogEvent event = Objects.requireNonNull(events.get(i), "event");
            long expected = expectedHead + 1 + i;
            if (event.seqNum() != expected) {
                throw new IllegalArgumentException("append to store '" + storeId + "' after " + expectedHead
                        + ": event '" + event.name() + "' (id '" + event.eventId() + "') must be at seqNum "
                        + expected + ", was " + event.seqNum());
            }
            if (!eventIds.add(event.eventId())) {
                throw new IllegalArgumentException("append to store '" + storeId + "': event id '"
                        + event.eventId() + "' twice in one batch");
            }
        }
    }

    /** Checks a pull's cursor and limit. */
    static void requirePull(String storeId, long afterSeqNum, int limit) {
        requireStoreId(storeId);
        if (afterSeqNum < 0) {
            throw new IllegalArgumentException("pull of store '" + storeId + "': the cursor is never negative, was "
                    + afterSeqNum);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("pull of store '" + storeId + "': the limit must be at least 1, was "
                    + limit);
        }
    }

    /**
     * Whether an append that found the head moved is a retry of one already written: {@code written} are
     * the log's events from {@code expectedHead + 1} on (at least as many as {@code events} when the log
     * has them), and a retry is when they carry the batch's event ids at the batch's positions.
     *
     * @throws IllegalArgumentException when an event id stands at its position with other content: the
     *                                  writer reused an id for another event
     */
    static boolean isRetry(String storeId, List<LogEvent> events, List<LogEvent> written) {
        int compared = Math.min(events.size(), written.size());
        boolean sameIds = written.size() >= events.size();
        for (int i = 0; i < compared; i++) {
            LogEvent asked = events.get(i);
            LogEvent there = written.get(i);
            if (!asked.eventId().equals(there.eventId())) {
                sameIds = false;
            } else if (!asked.equals(there)) {
                throw new IllegalArgumentException("append to store '" + storeId + "': event id '" + asked.eventId()
                        + "' at seqNum " + asked.seqNum() + " is already in the log as another event (its name, args, "
                        + "client, session or time differ); an event id names one event");
            }
        }
        return sameIds;
    }

    /** The message for an event id the log holds at another position. */
    static IllegalArgumentException eventIdElsewhere(String storeId, LogEvent event, long writtenAt) {
        return new IllegalArgumentException("append to store '" + storeId + "': event id '" + event.eventId()
                + "' is already in the log at seqNum " + writtenAt + ", cannot be written again at seqNum "
                + event.seqNum());
    }

    /** The message for an append expecting events in a store that has no log. */
    static IllegalStateException noLog(String storeId, long expectedHead) {
        return new IllegalStateException("append to store '" + storeId + "' after " + expectedHead
                + ": the store has no upstream log; its first append must expect head 0");
    }

    private static String quote(String storeId) {
        if (storeId == null) {
            return "null";
        }
        String shown = storeId.length() > 64 ? storeId.substring(0, 64) + "..." : storeId;
        StringBuilder sb = new StringBuilder("'");
        for (char c : shown.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append('\'').toString();
    }
}
