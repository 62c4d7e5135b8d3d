package io.livestore.example.issuetracker.api;

import io.livestore.example.issuetracker.api.problem.ApiProblemMapper;
import io.livestore.example.issuetracker.api.problem.UnexpectedProblemMapper;
import io.livestore.example.issuetracker.api.problem.WebApplicationProblemMapper;
import io.livestore.jaxrs.LiveStoreJaxrsExtension;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The JAX-RS application, the same on WildFly (which finds it in the WAR) and embedded (where
 * {@code SeBootstrap} is given it). It lists its classes, so neither runtime scans and both serve
 * exactly these: the resources, the application's providers and the library's
 * ({@link LiveStoreJaxrsExtension#PROVIDERS}: the preload filter and the problem mappers).
 */
@ApplicationPath("/")
public class IssueTrackerApplication extends Application {

    /** The resources. */
    public static final List<Class<?>> RESOURCES = List.of(WorkspacesResource.class, WorkspaceResource.class,
            IssueResource.class, StaticFilesResource.class);

    /** The application's own providers. */
    public static final List<Class<?>> PROVIDERS = List.of(KnownIdsFilter.class, ApiProblemMapper.class,
            WebApplicationProblemMapper.class, UnexpectedProblemMapper.class);

    @Override
    public Set<Class<?>> getClasses() {
        Set<Class<?>> classes = new HashSet<>(RESOURCES);
        classes.addAll(PROVIDERS);
        classes.addAll(LiveStoreJaxrsExtension.PROVIDERS);
        return classes;
    }
}
