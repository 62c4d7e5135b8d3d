package io.livestore.cdi.internal;

import io.livestore.cdi.StoreResolutionException;
import io.livestore.registry.StoreDefinition;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How one {@code @LiveStore} injection finds its store: the definition (the application's one instance),
 * and where its storeId comes from (C3). Worked out once (at deployment for declared injection points)
 * and applied per request by {@link StoreAdmission}; a request keeps its leases by plan.
 *
 * @param definition the definition
 * @param source     where the id comes from
 * @param template   the id template ({@code LITERAL}, {@code TEMPLATE}, {@code PATH_PARAMETER}, {@code FIXED})
 * @param where      the injection point, {@code Class.member}, for messages
 */
public record StorePlan(StoreDefinition<?> definition, IdSource source, IdTemplate template, String where) {

    /** Where a storeId comes from, in the order C3 tries them. */
    public enum IdSource { LITERAL, TEMPLATE, FIXED, RESOLVER, PATH_PARAMETER }

    /** Path parameters this plan needs from the request. */
    public List<String> pathParameters() {
        return source == IdSource.TEMPLATE || source == IdSource.PATH_PARAMETER ? template.parameters() : List.of();
    }

    /**
     * The storeId for a request, not yet validated ({@link StoreAdmission} validates it, once).
     *
     * @param pathParameters the request's path parameters, null outside a JAX-RS request
     * @param resolvedIds    the definition's {@code StoreIdResolver}, by definition name
     * @throws StoreResolutionException a needed path parameter or resolver result is missing
     */
    String unvalidatedStoreId(Map<String, String> pathParameters, Function<String, String> resolvedIds) {
        switch (source) {
            case LITERAL:
            case FIXED:
                return template.resolve(Map.of());
            case RESOLVER:
                String resolved = resolvedIds.apply(definition.name());
                if (resolved == null) {
                    throw new StoreResolutionException("the StoreIdResolver for definition '" + definition.name()
                            + "' returned null for " + where);
                }
                return resolved;
            default:
                if (pathParameters == null) {
                    throw new StoreResolutionException(where + " takes its storeId from path parameter(s) "
                            + template.parameters() + " (id \"" + template + "\"), but there is no matched JAX-RS request;"
                            + " give a literal id or a StoreIdResolver");
                }
                String id = template.resolve(pathParameters);
                if (id == null) {
                    throw new StoreResolutionException(where + ": the request has no path parameter '"
                            + template.missing(pathParameters) + "' for id \"" + template + "\"");
                }
                return id;
        }
    }

    // Identity, not the record's value equality: a request finds its lease by the plan object the
    // deployment made, and two injection points with equal-looking plans are still two plans.
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
