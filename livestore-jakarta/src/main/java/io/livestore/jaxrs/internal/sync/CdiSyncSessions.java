package io.livestore.jaxrs.internal.sync;

import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import java.util.function.Supplier;

/**
 * The application's {@link SyncSessions} bean, looked up through {@link CDI#current()} on first use — on
 * a request thread (the upgrade filter, the HTTP resource) or a container's WebSocket thread (Java SE),
 * where no injection reaches — and kept for that CDI container (the bean is one per application; a JVM
 * that runs several containers one after another, as tests do, gets each one's own).
 */
public final class CdiSyncSessions implements Supplier<SyncSessions> {

    private record Resolved(BeanManager beanManager, SyncSessions sessions) {
    }

    private volatile Resolved resolved;

    /**
     * @throws SyncRefusedException 503 when the application has no CDI container or no such bean
     */
    @Override
    public SyncSessions get() {
        BeanManager bm;
        try {
            bm = CDI.current().getBeanManager();
        } catch (IllegalStateException noCdi) {
            throw new SyncRefusedException(503, "LiveStore sync is not available: the application has no CDI container");
        }
        Resolved r = resolved;
        if (r != null && r.beanManager() == bm) {
            return r.sessions();
        }
        Bean<?> bean = bm.resolve(bm.getBeans(SyncSessions.class));
        if (bean == null) {
            throw new SyncRefusedException(503, "LiveStore sync is not available in this application");
        }
        SyncSessions s = (SyncSessions) bm.getReference(bean, SyncSessions.class, bm.createCreationalContext(bean));
        resolved = new Resolved(bm, s);
        return s;
    }
}
