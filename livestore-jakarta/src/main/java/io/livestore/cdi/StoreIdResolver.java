package io.livestore.cdi;

/**
 * Supplies the storeId for injections of one definition that give no {@code id} (C3), for example
 * from a tenant claim or a header. Declare it as a bean qualified with the definition's name:
 *
 * <pre>{@code
 * @RequestScoped @StoreDef("tenant")
 * public class TenantFromToken implements StoreIdResolver {
 *     @Inject JsonWebToken token;
 *     public String resolve() { return "tenant-" + token.getClaim("tid"); }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface StoreIdResolver {
    /** The storeId for the current request; validated afterwards like any id. */
    String resolve();
}
