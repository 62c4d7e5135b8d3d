package io.livestore.it;

import io.livestore.cdi.StoreDef;
import io.livestore.cdi.StoreIdResolver;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

/** The journal of whoever calls: injections of "journal" without an id take it from the X-User header. */
@RequestScoped
@StoreDef("journal")
public class CallersJournal implements StoreIdResolver {

    @Inject
    HttpServletRequest request;

    @Override
    public String resolve() {
        return "journal-" + request.getHeader("X-User");
    }
}
