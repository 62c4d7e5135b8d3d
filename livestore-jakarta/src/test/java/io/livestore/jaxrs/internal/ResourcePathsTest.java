package io.livestore.jaxrs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The path parameters the JAX-RS layer's deployment checks see in a resource. */
class ResourcePathsTest {

    interface IssueApi {
        @GET
        @Path("{issueId}")
        String get();
    }

    @Path("/issues")
    public static class ImplementsApi implements IssueApi {
        @Override
        public String get() {
            return "";
        }
    }

    @Path("/orgs/{orgId: [a-z]+}")
    public static class WithRegex {
        @GET
        @Path("boards/{ boardId }")
        public String get() {
            return "";
        }
    }

    @Test
    void pathParametersDeclaredOnInterfaceMethodsCount() {
        assertTrue(ResourcePaths.pathParameters(ImplementsApi.class).contains("issueId"));
        assertTrue(ResourcePaths.isResource(ImplementsApi.class));
    }

    @Test
    void regexesAndSpacesAreNotPartOfTheName() {
        assertEquals(Set.of("orgId", "boardId"), ResourcePaths.pathParameters(WithRegex.class));
        assertFalse(ResourcePaths.isResource(IssueApi.class.getDeclaredMethods()[0].getReturnType()));
    }
}
