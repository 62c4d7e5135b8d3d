package io.livestore.example.issuetracker.api.problem;

import io.livestore.example.issuetracker.api.Json;
import io.livestore.jaxrs.LiveStoreProblemMapper;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request the application refuses — malformed, naming something that does not exist, or invalid —
 * answered as an RFC 9457 problem ({@code application/problem+json}) with a detail that says exactly
 * what is wrong. The library's own failures (a store that cannot load, an event a materializer rejects)
 * are answered the same way by its {@link LiveStoreProblemMapper}.
 */
public class ApiProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;

    /**
     * @param status the HTTP status
     * @param title  a short summary of the kind of problem, the same for every problem of its kind (its
     *               {@code type} is made from it)
     * @param detail what exactly is wrong with this request
     */
    public ApiProblem(int status, String title, String detail) {
        super(detail, null, false, false); // an answer to a client, not a failure: no stack trace to fill
        this.status = status;
        this.title = title;
    }

    /** 400: the request cannot be read (malformed JSON, an id of the wrong shape). */
    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad request", detail);
    }

    /** 404: the workspace or issue does not exist. */
    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not found", detail);
    }

    /** 422: the request is well-formed but its content is not acceptable (an empty title). */
    public static ApiProblem invalid(String detail) {
        return new ApiProblem(422, "Invalid input", detail);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The problem document as a response. */
    public Response toResponse() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:issue-tracker:problem:" + title.toLowerCase(Locale.ROOT).replace(' ', '-'));
        body.put("title", title);
        body.put("status", status);
        body.put("detail", getMessage());
        // JAX-RS 3.1 knows no reason phrase for 422; without one the status line would end in a blank
        Response.ResponseBuilder response = status == 422 ? Response.status(422, "Unprocessable Content") : Response.status(status);
        return response.type(LiveStoreProblemMapper.PROBLEM_JSON).entity(Json.write(body)).build();
    }
}
