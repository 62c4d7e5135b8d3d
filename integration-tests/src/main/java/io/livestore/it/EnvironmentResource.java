package io.livestore.it;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the tests check about the server the application runs in: its JSON provider, the codec's Jackson, its process. */
@Path("/environment")
@ApplicationScoped
public class EnvironmentResource {

    // Where the store layer keeps its event codec: today, and once it moves to an internal package.
    private static final List<String> CODEC_CLASSES = List.of("io.livestore.store.EventCodec",
            "io.livestore.store.internal.EventCodec");

    /** An entity left to the server's JSON provider (JSON-B unless something switched the deployment). */
    @GET
    @Path("/json-provider")
    @Produces(MediaType.APPLICATION_JSON)
    public RenamedByJsonb jsonProvider() {
        return new RenamedByJsonb();
    }

    /** The class of the ObjectMapper the library's event codec writes events with, and the jar it comes from. */
    @GET
    @Path("/codec")
    @Produces(MediaType.APPLICATION_JSON)
    public String codec() throws IllegalAccessException {
        for (String name : CODEC_CLASSES) {
            Class<?> codec;
            try {
                codec = Class.forName(name, true, io.livestore.store.Store.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                continue;
            }
            for (Field field : codec.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && isObjectMapper(field.getType())) {
                    field.setAccessible(true);
                    Class<?> mapper = field.get(null).getClass();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("codec", name);
                    body.put("objectMapper", objectMapperClass(mapper).getName());
                    body.put("from", location(mapper));
                    body.put("library", location(io.livestore.store.Store.class));
                    return Json.write(body);
                }
            }
        }
        return Json.write(Map.of("error", "no event codec with a static ObjectMapper in " + CODEC_CLASSES));
    }

    /** This server's process id, to find the sockets it listens on. */
    @GET
    @Path("/pid")
    @Produces(MediaType.TEXT_PLAIN)
    public String pid() {
        return Long.toString(ProcessHandle.current().pid());
    }

    private static boolean isObjectMapper(Class<?> type) {
        return objectMapperClass(type) != null;
    }

    private static Class<?> objectMapperClass(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getSimpleName().equals("ObjectMapper")) {
                return c;
            }
        }
        return null;
    }

    private static String location(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "unknown" : source.getLocation().toString();
    }
}
