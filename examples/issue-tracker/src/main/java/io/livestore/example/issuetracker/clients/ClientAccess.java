package io.livestore.example.issuetracker.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livestore.cdi.LiveStoreConfig;
import io.livestore.cdi.StoreAccessPolicy;
import io.livestore.example.issuetracker.catalog.CatalogQueries;
import io.livestore.example.issuetracker.catalog.CatalogSchema;
import io.livestore.example.issuetracker.stores.Ids;
import io.livestore.example.issuetracker.stores.StoreDefinitions;
import io.livestore.example.issuetracker.workspace.WorkspaceQueries;
import io.livestore.example.issuetracker.workspace.WorkspaceSchema;
import io.livestore.registry.StoreLease;
import io.livestore.registry.StoreRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

/**
 * Which LiveStore clients may sync an issue store (the definitions open to clients are listed in
 * {@code META-INF/microprofile-config.properties}: only {@code issue}). A client's {@code syncPayload} is
 * {@code {"workspaceId": "w-…", "token": "…"}}:
 * <ul>
 *   <li>the workspace must exist and list the issue. Connecting opens the store, and opening a store creates
 *       it, so this is {@code KnownIdsFilter}'s check for the API's requests, made here for clients;</li>
 *   <li>when the tracker was started with {@value #TOKEN} set, the client must bring the same token. Without
 *       it clients need none, as the API needs no credentials (the tracker listens on 127.0.0.1 only).</li>
 * </ul>
 * A refusal ends the connection (the client keeps trying) and is logged here with its reason, which the
 * client is not told.
 */
@ApplicationScoped
public class ClientAccess implements StoreAccessPolicy {

    /** The configuration key of the token clients must bring; unset or blank: no token needed. */
    public static final String TOKEN = "issuetracker.client-token";

    private static final System.Logger LOG = System.getLogger(ClientAccess.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LOAD_WAIT = Duration.ofSeconds(10);

    @Inject
    StoreRegistry registry;

    /** The API's own requests: {@code KnownIdsFilter} has checked their ids before any store is asked for. */
    @Override
    public boolean allows(String definition, String storeId) {
        return true;
    }

    @Override
    public boolean allowsClient(String definition, String storeId, String syncPayload) {
        Optional<String> refusal = refusal(definition, storeId, syncPayload);
        refusal.ifPresent(reason -> LOG.log(Level.INFO, "refused a LiveStore client of store '" + storeId
                + "' (definition '" + definition + "'): " + reason));
        return refusal.isEmpty();
    }

    /** Why the client may not sync this store, if it may not. */
    private Optional<String> refusal(String definition, String storeId, String syncPayload) {
        if (!StoreDefinitions.ISSUE.name().equals(definition)) {
            return Optional.of("clients may sync issue stores only");
        }
        JsonNode payload = parse(syncPayload);
        Optional<String> expected = LiveStoreConfig.value(TOKEN);
        if (expected.isPresent() && !sameText(expected.get(), text(payload, "token"))) {
            return Optional.of(payload.has("token") ? "its token is not the tracker's (" + TOKEN + ")"
                    : "it brought no token, and the tracker requires one (" + TOKEN + ")");
        }
        String workspaceId = text(payload, "workspaceId");
        if (!Ids.isWorkspaceId(workspaceId)) {
            return Optional.of("its syncPayload names no workspace (expected {\"workspaceId\":\"w-…\"})");
        }
        if (!Ids.isIssueId(storeId)) {
            return Optional.of("'" + storeId + "' is not an issue id");
        }
        try (StoreLease<CatalogSchema> catalog = registry.retain(StoreDefinitions.CATALOG, CatalogSchema.STORE_ID)) {
            if (catalog.store(LOAD_WAIT).query(CatalogQueries.workspace(workspaceId)).isEmpty()) {
                return Optional.of("there is no workspace '" + workspaceId + "'");
            }
        }
        try (StoreLease<WorkspaceSchema> workspace = registry.retain(StoreDefinitions.WORKSPACE, workspaceId)) {
            if (workspace.store(LOAD_WAIT).query(WorkspaceQueries.issue(storeId)).isEmpty()) {
                return Optional.of("workspace '" + workspaceId + "' has no issue '" + storeId + "'");
            }
        }
        return Optional.empty();
    }

    /** The payload as JSON (the library has checked that it is JSON); a missing one is an empty object. */
    private static JsonNode parse(String syncPayload) {
        if (syncPayload == null) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(syncPayload);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** A string field of the payload, or null (absent, or not a string). */
    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /** Compares in constant time, so the answer's timing tells nothing about the token. */
    private static boolean sameText(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
