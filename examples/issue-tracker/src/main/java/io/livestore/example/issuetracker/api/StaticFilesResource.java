package io.livestore.example.issuetracker.api;

import io.livestore.example.issuetracker.api.problem.ApiProblem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The page: a few static files from the class path ({@code /static/}), served by JAX-RS so that they
 * are found the same way embedded and in the WAR on WildFly. Only the files listed here are served.
 *
 * <p>The page reaches the API by relative URLs; {@code index.html} gets a {@code <base>} of the
 * application's root ({@code /} embedded, {@code /issue-tracker/} on WildFly) so they resolve the same
 * from any address the page is opened at. The Content-Security-Policy lets the page load and connect
 * to nothing but this server.
 */
@Path("/")
public class StaticFilesResource {

    private static final Map<String, String> MEDIA_TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");
    private static final String BASE_PLACEHOLDER = "{{base}}";
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; img-src 'self' data:; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /** The page. */
    @GET
    public Response index(@Context UriInfo uri) {
        String base = uri.getBaseUri().getRawPath();
        String html = new String(read("index.html"), StandardCharsets.UTF_8)
                .replace(BASE_PLACEHOLDER, escapeAttribute(base.endsWith("/") ? base : base + "/"));
        return serve("index.html", html);
    }

    /** One of the page's files. */
    @GET
    @Path("{file}")
    public Response file(@PathParam("file") String name, @Context UriInfo uri) {
        if (name.equals("index.html")) {
            return index(uri);
        }
        if (!MEDIA_TYPES.containsKey(name)) {
            throw ApiProblem.notFound("there is no file '" + name + "'");
        }
        return serve(name, read(name));
    }

    private static Response serve(String name, Object content) {
        return Response.ok(content, MEDIA_TYPES.get(name))
                .header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticFilesResource.class.getResourceAsStream("/static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("static file /static/" + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escapeAttribute(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
