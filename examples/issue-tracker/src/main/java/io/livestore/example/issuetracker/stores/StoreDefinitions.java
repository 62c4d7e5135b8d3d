package io.livestore.example.issuetracker.stores;

import io.livestore.cdi.StoreDef;
import io.livestore.example.issuetracker.catalog.CatalogSchema;
import io.livestore.example.issuetracker.issue.IssueSchema;
import io.livestore.example.issuetracker.workspace.WorkspaceSchema;
import io.livestore.registry.StoreDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;

/**
 * The three kinds of store, declared once as CDI beans. The unused cache times follow the reference
 * design: the catalog is read by every request and stays; a workspace is shared by everyone working in
 * it; an issue store is one of many and goes soon after nobody looks at it.
 */
@ApplicationScoped
public class StoreDefinitions {

    /** The catalog of workspaces: a single store. */
    @Produces
    @StoreDef("catalog")
    public static final StoreDefinition<CatalogSchema> CATALOG = StoreDefinition.builder("catalog", CatalogSchema.class)
            .fixedStoreId(CatalogSchema.STORE_ID)
            .unusedCacheTime(StoreDefinition.FOREVER)
            .build();

    /** One store per workspace. */
    @Produces
    @StoreDef("workspace")
    public static final StoreDefinition<WorkspaceSchema> WORKSPACE = StoreDefinition.builder("workspace", WorkspaceSchema.class)
            .unusedCacheTime(Duration.ofMinutes(10))
            .build();

    /** One store per issue. */
    @Produces
    @StoreDef("issue")
    public static final StoreDefinition<IssueSchema> ISSUE = StoreDefinition.builder("issue", IssueSchema.class)
            .unusedCacheTime(Duration.ofMinutes(2))
            .build();
}
