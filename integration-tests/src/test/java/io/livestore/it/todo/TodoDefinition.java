package io.livestore.it.todo;

import io.livestore.cdi.StoreDef;
import io.livestore.registry.StoreDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The {@code todo} definition, produced next to the suite's own ones; the WAR's configuration
 * ({@code livestore.sync.definitions=todo}) opens it to LiveStore JavaScript clients.
 */
@ApplicationScoped
public class TodoDefinition {

    @Produces
    @StoreDef("todo")
    public static final StoreDefinition<TodoSchema> TODO = StoreDefinition.builder("todo", TodoSchema.class).build();
}
