package io.livestore.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Pattern;

/**
 * How a {@link PostgresUpstream} talks to PostgreSQL: where its tables are, and the timeouts that make
 * an outage fail fast instead of hanging a commit. Immutable; {@link #defaults()} or {@link #builder()}.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code schema}</td><td>{@code public}</td><td>the PostgreSQL schema of the log's four tables (created if missing)</td></tr>
 *   <tr><td>{@code statementTimeout}</td><td>5 s</td><td>longest a statement may run or wait for a store's row lock
 *       ({@code SET LOCAL statement_timeout} in an append, the query timeout of reads)</td></tr>
 *   <tr><td>{@code connectTimeout}</td><td>5 s</td><td>Java SE ({@link PostgresUpstream#connect}): pgjdbc
 *       {@code connectTimeout} and HikariCP {@code connectionTimeout} (waiting for a pooled connection)</td></tr>
 *   <tr><td>{@code socketTimeout}</td><td>15 s</td><td>Java SE: pgjdbc {@code socketTimeout}, the longest wait for any answer
 *       (a network that drops packets silently)</td></tr>
 *   <tr><td>{@code maxPoolSize}</td><td>10</td><td>Java SE: HikariCP's {@code maximumPoolSize}</td></tr>
 *   <tr><td>{@code maxPage}</td><td>1,000</td><td>most events one pull or conflict answer carries (a larger pull limit gets this many: page on)</td></tr>
 *   <tr><td>{@code listenPollInterval}</td><td>250 ms</td><td>how long one {@code getNotifications} call waits; bounds
 *       how late a new listener's first resync and {@code close()} are</td></tr>
 *   <tr><td>{@code listenCheckInterval}</td><td>5 s</td><td>how often the quiet LISTEN connection is checked to be alive</td></tr>
 *   <tr><td>{@code reconnectMinBackoff} / {@code reconnectMaxBackoff}</td><td>100 ms / 5 s</td><td>wait before reconnecting
 *       the LISTEN connection, doubled after every failed attempt</td></tr>
 *   <tr><td>{@code interestTtl}</td><td>2 min</td><td>how long a node's heartbeat in {@code livestore_node} lasts
 *       (the LISTEN thread pushes it forward every quarter of that): after that other nodes take it for dead,
 *       delete its interest rows and stop announcing to it; at least 1 s and four {@code listenPollInterval}s,
 *       and well above the longest stall of the LISTEN thread (a check of a quiet connection may take
 *       {@code statementTimeout})</td></tr>
 *   <tr><td>{@code retryAfter}</td><td>5 s</td><td>the hint of {@link io.livestore.store.UpstreamUnavailableException}</td></tr>
 *   <tr><td>{@code applicationName}</td><td>{@code livestore}</td><td>PostgreSQL {@code application_name}; the LISTEN
 *       connection gets {@code <name>-listen} (so an operator sees it in {@code pg_stat_activity})</td></tr>
 *   <tr><td>{@code threadFactory}</td><td>daemon threads</td><td>makes the LISTEN thread (a server's
 *       {@code ManagedThreadFactory})</td></tr>
 * </table>
 */
public final class PostgresUpstreamOptions {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,52}");
    private static final Pattern APPLICATION_NAME = Pattern.compile("[A-Za-z0-9._-]{1,48}");
    /**
     * PostgreSQL's reserved key words and those that may be function or type names only (SQL key words
     * appendix, categories "reserved" and "reserved (can be function or type)"): none of them is a schema
     * name without quotes, and the tables' names are written without quotes.
     */
    private static final Set<String> RESERVED = Set.of("all", "analyse", "analyze", "and", "any", "array", "as",
            "asc", "asymmetric", "authorization", "binary", "both", "case", "cast", "check", "collate", "collation",
            "column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
            "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "default",
            "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign",
            "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
            "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
            "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
            "overlaps", "placing", "primary", "references", "returning", "right", "select", "session_user",
            "similar", "some", "symmetric", "system_user", "table", "tablesample", "then", "to", "trailing", "true",
            "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window", "with");

    private final String schema;
    private final Duration statementTimeout;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final int maxPoolSize;
    private final int maxPage;
    private final Duration listenPollInterval;
    private final Duration listenCheckInterval;
    private final Duration reconnectMinBackoff;
    private final Duration reconnectMaxBackoff;
    private final Duration retryAfter;
    private final Duration interestTtl;
    private final String applicationName;
    private final ThreadFactory threadFactory;

    private PostgresUpstreamOptions(Builder b) {
        this.schema = b.schema;
        this.statementTimeout = b.statementTimeout;
        this.connectTimeout = b.connectTimeout;
        this.socketTimeout = b.socketTimeout;
        this.maxPoolSize = b.maxPoolSize;
        this.maxPage = b.maxPage;
        this.listenPollInterval = b.listenPollInterval;
        this.listenCheckInterval = b.listenCheckInterval;
        this.reconnectMinBackoff = b.reconnectMinBackoff;
        this.reconnectMaxBackoff = b.reconnectMaxBackoff;
        this.retryAfter = b.retryAfter;
        this.interestTtl = b.interestTtl;
        this.applicationName = b.applicationName;
        this.threadFactory = b.threadFactory;
    }

    /** Every option at its default. */
    public static PostgresUpstreamOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.schema = schema;
        b.statementTimeout = statementTimeout;
        b.connectTimeout = connectTimeout;
        b.socketTimeout = socketTimeout;
        b.maxPoolSize = maxPoolSize;
        b.maxPage = maxPage;
        b.listenPollInterval = listenPollInterval;
        b.listenCheckInterval = listenCheckInterval;
        b.reconnectMinBackoff = reconnectMinBackoff;
        b.reconnectMaxBackoff = reconnectMaxBackoff;
        b.retryAfter = retryAfter;
        b.interestTtl = interestTtl;
        b.applicationName = applicationName;
        b.threadFactory = threadFactory;
        return b;
    }

    /** The PostgreSQL schema of the log's tables. */
    public String schema() { return schema; }
    /** The longest a statement may run or wait for a store's row lock. */
    public Duration statementTimeout() { return statementTimeout; }
    /** Java SE: the longest wait to connect, and for a pooled connection. */
    public Duration connectTimeout() { return connectTimeout; }
    /** Java SE: the longest wait for any answer of PostgreSQL. */
    public Duration socketTimeout() { return socketTimeout; }
    /** Java SE: the most connections of the pool. */
    public int maxPoolSize() { return maxPoolSize; }
    /** The most events one pull or conflict answer carries. */
    public int maxPage() { return maxPage; }
    /** How long one wait for notifications lasts. */
    public Duration listenPollInterval() { return listenPollInterval; }
    /** How often a quiet LISTEN connection is checked to be alive. */
    public Duration listenCheckInterval() { return listenCheckInterval; }
    /** The first wait before reconnecting the LISTEN connection. */
    public Duration reconnectMinBackoff() { return reconnectMinBackoff; }
    /** The longest wait before reconnecting the LISTEN connection. */
    public Duration reconnectMaxBackoff() { return reconnectMaxBackoff; }
    /** The retry hint of an unavailable upstream. */
    public Duration retryAfter() { return retryAfter; }
    /** How long a node's heartbeat lasts: after it, other nodes take the node for dead. */
    public Duration interestTtl() { return interestTtl; }
    /** PostgreSQL's application_name of the upstream's connections. */
    public String applicationName() { return applicationName; }
    /** Makes the LISTEN thread. */
    public ThreadFactory threadFactory() { return threadFactory; }

    /** Builds {@link PostgresUpstreamOptions}; every setter checks its value at once. */
    public static final class Builder {
        private String schema = "public";
        private Duration statementTimeout = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration socketTimeout = Duration.ofSeconds(15);
        private int maxPoolSize = 10;
        private int maxPage = 1_000;
        private Duration listenPollInterval = Duration.ofMillis(250);
        private Duration listenCheckInterval = Duration.ofSeconds(5);
        private Duration reconnectMinBackoff = Duration.ofMillis(100);
        private Duration reconnectMaxBackoff = Duration.ofSeconds(5);
        private Duration retryAfter = Duration.ofSeconds(5);
        private Duration interestTtl = Duration.ofMinutes(2);
        private String applicationName = "livestore";
        private ThreadFactory threadFactory = r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        };

        private Builder() {
        }

        /**
         * @param schema a lower-case PostgreSQL identifier ({@code [a-z_][a-z0-9_]*}, at most 53 characters) that
         *               is not a reserved word of PostgreSQL's SQL (such as {@code user} or {@code order}) and
         *               does not start with {@code pg_} (reserved for PostgreSQL's own schemas)
         */
        public Builder schema(String schema) {
            if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
                throw new IllegalArgumentException("schema must be a lower-case PostgreSQL identifier "
                        + "([a-z_][a-z0-9_]*, at most 53 characters), was " + (schema == null ? "null" : "'" + schema + "'"));
            }
            if (RESERVED.contains(schema)) {
                throw new IllegalArgumentException("schema '" + schema + "' is a reserved word of PostgreSQL's SQL; "
                        + "choose another name, e.g. 'livestore'");
            }
            if (schema.startsWith("pg_")) {
                throw new IllegalArgumentException("schema '" + schema + "' starts with pg_, which PostgreSQL reserves "
                        + "for its own schemas; choose another name, e.g. 'livestore'");
            }
            this.schema = schema;
            return this;
        }

        public Builder statementTimeout(Duration d) { this.statementTimeout = positive("statementTimeout", d); return this; }
        public Builder connectTimeout(Duration d) { this.connectTimeout = positive("connectTimeout", d); return this; }
        public Builder socketTimeout(Duration d) { this.socketTimeout = positive("socketTimeout", d); return this; }
        /** @param d at least 1 ms (one wait for notifications is a whole number of milliseconds; 0 would be forever) */
        public Builder listenPollInterval(Duration d) {
            this.listenPollInterval = positive("listenPollInterval", d);
            if (d.toMillis() < 1) {
                throw new IllegalArgumentException("listenPollInterval must be at least 1 ms, was " + d);
            }
            if (d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("listenPollInterval must be at most " + Integer.MAX_VALUE + " ms, was " + d);
            }
            return this;
        }
        public Builder listenCheckInterval(Duration d) { this.listenCheckInterval = positive("listenCheckInterval", d); return this; }
        public Builder reconnectMinBackoff(Duration d) { this.reconnectMinBackoff = positive("reconnectMinBackoff", d); return this; }
        public Builder reconnectMaxBackoff(Duration d) { this.reconnectMaxBackoff = positive("reconnectMaxBackoff", d); return this; }
        public Builder retryAfter(Duration d) { this.retryAfter = positive("retryAfter", d); return this; }

        /** @param d at least 1 s: the LISTEN thread refreshes the rows every quarter of it, and a row must outlive a poll */
        public Builder interestTtl(Duration d) {
            positive("interestTtl", d);
            if (d.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("interestTtl must be at least 1 s, was " + d);
            }
            this.interestTtl = d;
            return this;
        }

        public Builder maxPoolSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxPoolSize must be at least 1, was " + n);
            }
            this.maxPoolSize = n;
            return this;
        }

        public Builder maxPage(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxPage must be at least 1, was " + n);
            }
            this.maxPage = n;
            return this;
        }

        /**
         * @param name 1–48 characters of {@code [A-Za-z0-9._-]} (PostgreSQL keeps 63 bytes; {@code -listen} is
         *             added for the LISTEN connection)
         */
        public Builder applicationName(String name) {
            if (name == null || !APPLICATION_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("applicationName must be 1-48 characters of letters, digits, "
                        + "'.', '_' and '-', was " + (name == null ? "null" : "'" + name + "'"));
            }
            this.applicationName = name;
            return this;
        }

        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
            return this;
        }

        /**
         * The options; checks that the reconnect backoff's minimum is not above its maximum, and that
         * {@code interestTtl} is at least four {@code listenPollInterval}s (the refresh runs between polls).
         */
        public PostgresUpstreamOptions build() {
            if (interestTtl.compareTo(listenPollInterval.multipliedBy(4)) < 0) {
                throw new IllegalArgumentException("interestTtl (" + interestTtl + ") must be at least four "
                        + "listenPollIntervals (" + listenPollInterval + "): the LISTEN thread refreshes the interest "
                        + "between two waits for notifications, every quarter of interestTtl");
            }
            if (reconnectMinBackoff.compareTo(reconnectMaxBackoff) > 0) {
                throw new IllegalArgumentException("reconnectMinBackoff (" + reconnectMinBackoff
                        + ") is above reconnectMaxBackoff (" + reconnectMaxBackoff + ")");
            }
            return new PostgresUpstreamOptions(this);
        }

        private static Duration positive(String what, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be a positive duration, was " + d);
            }
            return d;
        }
    }
}
