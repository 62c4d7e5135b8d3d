package io.livestore.registry;

import io.livestore.store.StoreOpener;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the registry keeps per store definition, by name: the one definition instance used under that
 * name, the opener built for it once, and its unusedCacheTime (the definition's, else the registry's
 * default). Separate from {@link StoreRegistry} because it is a rule of its own, about definitions rather
 * than stores: a name identifies one definition ({@link DefinitionConflictException}), while the
 * registry's storeId rule (R12) is checked per entry.
 */
final class DefinitionTable {

    /** What the registry keeps per definition: the definition instance, its opener and default time. */
    record DefinitionRuntime(StoreDefinition<?> definition, StoreOpener<?> opener, long defaultNanos) { }

    private final RegistryOptions options;
    private final ConcurrentHashMap<String, DefinitionRuntime> definitions = new ConcurrentHashMap<>();

    DefinitionTable(RegistryOptions options) {
        this.options = options;
    }

    /** The definition's runtime, made on its first use; throws when another instance took its name. */
    DefinitionRuntime runtime(StoreDefinition<?> definition) {
        DefinitionRuntime runtime = definitions.get(definition.name());
        if (runtime == null) {
            long nanos = UnusedCacheTimes.toNanos(definition.unusedCacheTime().orElse(options.defaultUnusedCacheTime()));
            runtime = definitions.computeIfAbsent(definition.name(),
                    n -> new DefinitionRuntime(definition, definition.openerFor(options), nanos));
        }
        if (runtime.definition() != definition) {
            throw new DefinitionConflictException("two different definitions named '" + definition.name()
                    + "' were used with this registry (" + runtime.definition() + " and " + definition
                    + "); define each store kind once and share the instance");
        }
        return runtime;
    }
}
