package io.livestore.cdi;

import io.livestore.registry.StoreDefinition;
import io.livestore.store.StoreIds;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How one {@code @LiveStore} injection finds its store: the definition, and where its storeId comes
 * from (C3). Worked out once (at deployment for declared injection points) and applied per request.
 *
 * @param definition the definition
 * @param source     where the id comes from
 * @param template   the id template ({@code LITERAL}, {@code TEMPLATE}, {@code PATH_PARAMETER}, {@code FIXED})
 * @param where      the injection point, {@code Class.member}, for messages
 */
public record StorePlan(StoreDefinition<?> definition, IdSource source, IdTemplate template, String where) {

    /** Where a storeId comes from, in the order C3 tries them. */
    public enum IdSource { LITERAL, TEMPLATE, FIXED, RESOLVER, PATH_PARAMETER }

    /** The id as the template gives it, before validation (for error responses); null when not from the request. */
    public String unvalidatedStoreId(Map<String, String> pathParameters) {
        return template == null ? null : template.resolve(source == IdSource.LITERAL || source == IdSource.FIXED
                ? Map.of() : pathParameters);
    }

    /** Path parameters this plan needs from the request. */
    public List<String> pathParameters() {
        return source == IdSource.TEMPLATE || source == IdSource.PATH_PARAMETER ? template.parameters() : List.of();
    }

    /**
     * The storeId for the current request, validated.
     *
     * @throws StoreResolutionException          a needed path parameter or resolver result is missing
     * @throws io.livestore.store.InvalidStoreIdException the id is not a valid storeId
     */
    String storeId(Map<String, String> pathParameters, Function<String, String> resolvedIds) {
        String id;
        switch (source) {
            case LITERAL:
            case FIXED:
                id = template.resolve(Map.of());
                break;
            case RESOLVER:
                id = resolvedIds.apply(definition.name());
                if (id == null) {
                    throw new StoreResolutionException("the StoreIdResolver for definition '" + definition.name()
                            + "' returned null for " + where);
                }
                break;
            default:
                if (pathParameters == null) {
                    throw new StoreResolutionException(where + " takes its storeId from path parameter(s) "
                            + template.parameters() + " (id \"" + template + "\"), but there is no matched JAX-RS request;"
                            + " give a literal id or a StoreIdResolver");
                }
                id = template.resolve(pathParameters);
                if (id == null) {
                    throw new StoreResolutionException(where + ": the request has no path parameter '"
                            + template.missing(pathParameters) + "' for id \"" + template + "\"");
                }
        }
        return StoreIds.requireValid(definition.name(), id);
    }
}
