package io.livestore.jaxrs;

import io.livestore.registry.DefinitionConflictException;
import io.livestore.registry.LeaseClosedException;
import io.livestore.store.MessageIdentified;
import io.livestore.store.QueryException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;

/**
 * The library's programming errors — wrong application code, not wrong input — are JDK exceptions
 * ({@link IllegalArgumentException}, {@link IllegalStateException}) with a message id, so the
 * {@link LiveStoreProblemMapper} does not see them. When one escapes a resource, these mappers answer a
 * 500 problem document with its message id and a summary; the message (which names the SQL of a bad
 * query) goes to the server log only. One mapper per exception type, since a JAX-RS mapper maps one type
 * (and the nearest type wins, so an application's own {@code ExceptionMapper<IllegalArgumentException>}
 * still gets every other exception).
 */
public final class ProgrammingErrorMappers {

    private static final System.Logger LOG = System.getLogger(ProgrammingErrorMappers.class.getName());

    private ProgrammingErrorMappers() {
    }

    /** A query the application wrote is wrong for the store (LIVESTORE-0150). */
    @Provider
    public static final class Query implements ExceptionMapper<QueryException> {
        @Override
        public Response toResponse(QueryException e) {
            return answer(e);
        }
    }

    /** A lease was used after it was closed (LIVESTORE-0207). */
    @Provider
    public static final class LeaseClosed implements ExceptionMapper<LeaseClosedException> {
        @Override
        public Response toResponse(LeaseClosedException e) {
            return answer(e);
        }
    }

    /** Two definitions with one name were used with the registry (LIVESTORE-0206). */
    @Provider
    public static final class DefinitionConflict implements ExceptionMapper<DefinitionConflictException> {
        @Override
        public Response toResponse(DefinitionConflictException e) {
            return answer(e);
        }
    }

    static <E extends RuntimeException & MessageIdentified> Response answer(E e) {
        LOG.log(Level.WARNING, "programming error answered with 500", e);
        String body = LiveStoreProblemMapper.problem(e.messageId(), 500,
                "the application used a store in a way the library does not allow; the server log has the cause")
                .build().toString();
        return Response.status(500).type(LiveStoreProblemMapper.PROBLEM_JSON).entity(body).build();
    }
}
