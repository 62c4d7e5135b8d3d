package io.livestore.store.internal;

import io.livestore.store.Event;
import io.livestore.store.EventName;
import io.livestore.store.InvalidEventException;
import io.livestore.store.Materializer;
import io.livestore.store.SchemaDefinitionException;
import io.livestore.store.StoreIds;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/** One event type of a compiled schema: its name, materializer, codec and null checks. */
public final class EventType {

    private final String name;
    private final Class<? extends Event> javaType;
    private final Materializer<Event> materializer;
    private final EventCodec codec;
    private final String[] requiredNames;
    private final MethodHandle[] requiredAccessors;
    private final String[] textNames;
    private final MethodHandle[] textAccessors;
    private final String signature;

    @SuppressWarnings("unchecked")
    public EventType(String schemaName, Class<? extends Event> javaType, Materializer<? extends Event> materializer) {
        if (!javaType.isRecord()) {
            throw new SchemaDefinitionException("schema " + schemaName + ": event type " + javaType.getName()
                    + " must be a record (events are immutable values)");
        }
        EventName annotation = javaType.getAnnotation(EventName.class);
        if (annotation == null) {
            throw new SchemaDefinitionException("schema " + schemaName + ": event type " + javaType.getName()
                    + " has no @EventName; add a stable versioned name such as @EventName(\"v1."
                    + javaType.getSimpleName() + "\")");
        }
        this.name = annotation.value();
        if (!StoreIds.isValidName(name)) {
            throw new SchemaDefinitionException("schema " + schemaName + ": event type " + javaType.getName()
                    + " has @EventName(\"" + name + "\"); expected 1-128 characters of [A-Za-z0-9._:-]");
        }
        this.javaType = javaType;
        this.materializer = (Materializer<Event>) materializer;
        this.codec = new EventCodec(javaType);

        List<String> names = new ArrayList<>();
        List<MethodHandle> accessors = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<MethodHandle> textReaders = new ArrayList<>();
        StringBuilder sig = new StringBuilder(name).append('(');
        for (RecordComponent c : javaType.getRecordComponents()) {
            sig.append(c.getName()).append(':').append(c.getGenericType().getTypeName()).append(',');
            boolean required = !(c.getType().isPrimitive() || isNullable(c) || isNullable(c.getAccessor())
                    || isNullable(c.getAnnotatedType()));
            if (!required && c.getType() != String.class) {
                continue;
            }
            MethodHandle accessor;
            try {
                // Event records are often nested and non-public in application code.
                c.getAccessor().setAccessible(true);
                accessor = MethodHandles.lookup().unreflect(c.getAccessor());
            } catch (IllegalAccessException | RuntimeException e) {
                throw new SchemaDefinitionException("schema " + schemaName + ": cannot read component "
                        + c.getName() + " of event " + name + "; make the record accessible", e);
            }
            if (required) {
                names.add(c.getName());
                accessors.add(accessor);
            }
            if (c.getType() == String.class) {
                texts.add(c.getName());
                textReaders.add(accessor);
            }
        }
        this.signature = sig.append(')').toString();
        this.requiredNames = names.toArray(String[]::new);
        this.requiredAccessors = accessors.toArray(MethodHandle[]::new);
        this.textNames = texts.toArray(String[]::new);
        this.textAccessors = textReaders.toArray(MethodHandle[]::new);
    }

    private static boolean isNullable(AnnotatedElement element) {
        for (Annotation a : element.getAnnotations()) {
            if (a.annotationType().getSimpleName().equals("Nullable")) {
                return true;
            }
        }
        return false;
    }

    /** Rejects {@code null} in required components, naming the first one found. */
    void validate(Event event, String storeId, int index) {
        for (int i = 0; i < requiredAccessors.length; i++) {
            Object value;
            try {
                value = requiredAccessors[i].invoke(event);
            } catch (Throwable t) {
                throw new InvalidEventException("store '" + storeId + "': event #" + index + " " + name
                        + " could not be read (component " + requiredNames[i] + ")", t);
            }
            if (value == null) {
                throw new InvalidEventException("store '" + storeId + "': event #" + index + " " + name
                        + " has null in required component '" + requiredNames[i]
                        + "'; nothing was written (annotate the component @Nullable if null is allowed)");
            }
        }
    }

    /**
     * Rejects text SQLite cannot store: a lone UTF-16 surrogate (half of a pair) would be stored as
     * {@code ?}, silently. Checked on the encoded payload, which holds every string of the event,
     * nested ones included; only when one is found are the components searched to name it.
     */
    void requireStorableText(Event event, String payload, String where, int index) {
        if (loneSurrogateAt(payload) < 0) {
            return;
        }
        String component = "a nested value";
        for (int i = 0; i < textAccessors.length; i++) {
            Object value;
            try {
                value = textAccessors[i].invoke(event);
            } catch (Throwable t) {
                continue; // already read once by validate; naming the component is best effort
            }
            if (value instanceof String text && loneSurrogateAt(text) >= 0) {
                component = "component '" + textNames[i] + "'";
                break;
            }
        }
        throw new InvalidEventException(where + ": event #" + index + " " + name + " has text in " + component
                + " with a lone UTF-16 surrogate (half of a surrogate pair), which cannot be stored; nothing was written");
    }

    /** The index of the first unpaired surrogate in {@code s}, or -1. */
    static int loneSurrogateAt(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    public String name() {
        return name;
    }

    public Class<? extends Event> javaType() {
        return javaType;
    }

    Materializer<Event> materializer() {
        return materializer;
    }

    EventCodec codec() {
        return codec;
    }

    /** Name and components, for the schema hash. */
    public String signature() {
        return signature;
    }
}
