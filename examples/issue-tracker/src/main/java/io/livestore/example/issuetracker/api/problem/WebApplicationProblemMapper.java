package io.livestore.example.issuetracker.api.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * The JAX-RS runtime's own refusals — no such path (404), wrong method (405), a body that is not JSON
 * (415), an Accept it cannot serve (406) — as problem documents too, so every error of the API has one
 * shape. Headers such as {@code Allow} are kept; a 5xx is also logged, with its cause.
 */
@Provider
public class WebApplicationProblemMapper implements ExceptionMapper<WebApplicationException> {

    private static final System.Logger LOG = System.getLogger(WebApplicationProblemMapper.class.getName());

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        String reason = original.getStatusInfo().getReasonPhrase();
        reason = reason == null || reason.isBlank() ? "Error" : reason;
        if (status >= 500) {
            LOG.log(Level.ERROR, "request failed with " + status, e);
        }
        String detail = switch (status) {
            case 404 -> "there is nothing at this address";
            case 405 -> "this address does not accept that method" + allowed(original);
            case 406 -> "this address cannot answer in the requested media type";
            case 415 -> "the request body must be JSON (Content-Type: application/json)";
            default -> status >= 500 ? "the request failed; the server log has the cause" : reason;
        };
        Response problem = new ApiProblem(status, sentenceCase(reason), detail).toResponse();
        Response.ResponseBuilder response = Response.fromResponse(problem);
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> response.header(name, v));
            }
        });
        return response.build();
    }

    /** "Method Not Allowed" becomes "Method not allowed", like the application's own problem titles. */
    private static String sentenceCase(String reason) {
        return reason.charAt(0) + reason.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String allowed(Response response) {
        return response.getAllowedMethods().isEmpty() ? "" : " (allowed: " + String.join(", ", response.getAllowedMethods()) + ")";
    }
}
