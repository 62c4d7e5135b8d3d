package io.livestore.jaxrs.internal.sync;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Opens the sync session of a WebSocket upgrade request before the container upgrades it, so that a
 * refusal ({@link SyncRefusedException}: unknown definition, bad storeId, a policy's no) is the HTTP
 * status of the handshake's answer, with a problem document, and no WebSocket is opened (L6). Jakarta
 * WebSocket itself cannot refuse a handshake with a chosen status: {@code modifyHandshake} has no status,
 * and {@code checkOrigin} only gives 403.
 *
 * <p>Mapped to {@code <livestore.sync.path>/*} ahead of the application's filters and of the container's
 * own WebSocket filter (Undertow's and Tyrus's upgrade filters are mapped after the declared ones). An
 * accepted session travels to the connection through {@link UpgradeHandoff}. Requests that are not
 * WebSocket upgrades pass untouched.
 */
final class SyncUpgradeFilter implements Filter {

    /** How long an upgraded connection may take to open before its session is released. */
    static final long OPEN_DEADLINE_SECONDS = 60;

    private static final System.Logger LOG = System.getLogger(SyncUpgradeFilter.class.getName());

    private final String base;
    private final Supplier<SyncSessions> sessions;

    SyncUpgradeFilter(String base, Supplier<SyncSessions> sessions) {
        this.base = base;
        this.sessions = sessions;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String definition = isUpgrade(request) ? definitionOf(request) : null;
        if (definition == null || !sessions.get().serves(definition)) {
            chain.doFilter(req, res); // not ours: the container routes it (to the application's own endpoint, if any)
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        WebSocketTransport transport = new WebSocketTransport();
        SyncSession session;
        try {
            session = sessions.get().open(SyncQuery.handshake(definition, request.getQueryString()), transport);
        } catch (SyncRefusedException e) {
            LOG.log(Level.DEBUG, () -> "sync connection refused (" + e.status() + "): " + e.getMessage());
            refuse(response, e.status(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "opening a sync connection failed", e);
            refuse(response, 500, "the sync connection could not be opened; the server log has the cause");
            return;
        }
        transport.bind(session);
        UpgradeHandoff.offer(new UpgradeHandoff.PreOpened(session, transport));
        boolean upgraded = false;
        try {
            chain.doFilter(req, res);
            upgraded = UpgradeHandoff.withdraw() == null;
        } finally {
            if (!upgraded) {
                UpgradeHandoff.withdraw();
                // the container answered the request itself (a bad handshake) or failed: no connection
                transport.close(1011, "not upgraded");
            } else {
                transport.expectOpenWithin(OPEN_DEADLINE_SECONDS);
            }
        }
    }

    private static boolean isUpgrade(HttpServletRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return "GET".equals(request.getMethod()) && upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket");
    }

    /** The definition named by a path {@code <base>/<definition>} (decoded), or null for any other path. */
    private String definitionOf(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!path.startsWith(base + "/")) {
            return null;
        }
        String rest = path.substring(base.length() + 1);
        return rest.isEmpty() || rest.indexOf('/') >= 0 ? null : rest;
    }

    private static void refuse(HttpServletResponse response, int status, String detail) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        byte[] body = SyncProblems.document(status, detail).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(SyncProblems.PROBLEM_JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
