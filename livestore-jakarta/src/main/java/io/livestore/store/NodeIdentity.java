package io.livestore.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Who writes the events a node's Java code commits (Y1): every such event records {@link #nodeId()} as
 * its {@code clientId} and {@link #sessionId()} as its {@code sessionId}, the way a LiveStore client
 * records its own ids. In cluster mode each node needs its own node id (DESIGN.md §6: one per registry,
 * shared by its stores); the default is unique per running process on a machine.
 *
 *
 * <p>A value class (equal by its two ids), not a record: registries hold it, and concurrency test tools
 * such as Lincheck cannot take a snapshot of record fields.
 */
public final class NodeIdentity {

    private final String nodeId;
    private final String sessionId;

    /**
     * @param nodeId    1–128 characters of {@code [A-Za-z0-9._:-]}; default {@link #defaultNodeId()}
     * @param sessionId 1–128 characters of {@code [A-Za-z0-9._:-]}; default {@link #processSessionId()}
     * @throws IllegalArgumentException an id that is empty, too long or has other characters
     */
    public NodeIdentity(String nodeId, String sessionId) {
        requireValid("nodeId", nodeId);
        requireValid("sessionId", sessionId);
        this.nodeId = nodeId;
        this.sessionId = sessionId;
    }

    /** The node id: the {@code clientId} of this node's commits. */
    public String nodeId() {
        return nodeId;
    }

    /** The session id: the {@code sessionId} of this node's commits. */
    public String sessionId() {
        return sessionId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeIdentity other && nodeId.equals(other.nodeId) && sessionId.equals(other.sessionId);
    }

    @Override
    public int hashCode() {
        return 31 * nodeId.hashCode() + sessionId.hashCode();
    }

    @Override
    public String toString() {
        return "NodeIdentity[nodeId=" + nodeId + ", sessionId=" + sessionId + "]";
    }

    /** A random UUID chosen once per process (per class loader, on a server): the session of this process's commits. */
    public static String processSessionId() {
        return Default.SESSION_ID;
    }

    /** This process's identity: {@link #defaultNodeId()} and {@link #processSessionId()}. */
    public static NodeIdentity ofThisProcess() {
        return Default.INSTANCE;
    }

    /** {@code nodeId} with this process's session id. */
    public static NodeIdentity of(String nodeId) {
        return new NodeIdentity(nodeId, Default.SESSION_ID);
    }

    /**
     * The host name and the process id, {@code <host>-<pid>} (e.g. {@code web01-4711}): distinct for
     * every process running at the same time on a machine, and readable in a log. The host name comes from
     * the {@code HOSTNAME} / {@code COMPUTERNAME} environment variable or {@code /etc/hostname} (no DNS
     * look-up, which can hang); characters outside {@code [A-Za-z0-9._:-]} become {@code -}, and it is cut
     * to keep the id within 128 characters. {@code localhost} when no name is found.
     */
    public static String defaultNodeId() {
        return Default.INSTANCE.nodeId;
    }

    private static void requireValid(String what, String id) {
        Objects.requireNonNull(id, what);
        if (!StoreIds.isValidName(id)) {
            throw new IllegalArgumentException(what + " '" + id + "' is not valid: expected 1-128 characters of [A-Za-z0-9._:-]");
        }
    }

    /** Computed once, on first use. */
    private static final class Default {
        static final String SESSION_ID = UUID.randomUUID().toString();
        static final NodeIdentity INSTANCE = new NodeIdentity(hostName() + "-" + ProcessHandle.current().pid(), SESSION_ID);

        private static String hostName() {
            String name = System.getenv("HOSTNAME");
            if (name == null || name.isBlank()) {
                name = System.getenv("COMPUTERNAME");
            }
            if (name == null || name.isBlank()) {
                try {
                    Path etc = Path.of("/etc/hostname");
                    name = Files.isReadable(etc) ? Files.readString(etc).trim() : null;
                } catch (Exception e) {
                    name = null;
                }
            }
            if (name == null || name.isBlank()) {
                return "localhost";
            }
            String clean = name.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._:-]", "-");
            return clean.length() > 100 ? clean.substring(0, 100) : clean;
        }
    }
}
