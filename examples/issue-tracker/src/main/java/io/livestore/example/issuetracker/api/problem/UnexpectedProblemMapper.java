package io.livestore.example.issuetracker.api.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;

/**
 * Anything else — a bug — is a 500 problem whose detail points at the server log, where the stack
 * trace goes; the client never sees one. More specific mappers (the library's, {@link ApiProblemMapper},
 * {@link WebApplicationProblemMapper}) take precedence, as JAX-RS picks the closest exception type.
 */
@Provider
public class UnexpectedProblemMapper implements ExceptionMapper<Exception> {

    private static final System.Logger LOG = System.getLogger(UnexpectedProblemMapper.class.getName());

    @Override
    public Response toResponse(Exception e) {
        LOG.log(Level.ERROR, "request failed", e);
        return new ApiProblem(500, "Internal error", "the request failed; the server log has the cause").toResponse();
    }
}
