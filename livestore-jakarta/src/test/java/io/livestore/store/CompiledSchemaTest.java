package io.livestore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Schema declarations are checked once, with errors that name the schema and the problem. */
class CompiledSchemaTest {

    record Unnamed(String id) implements Event { }

    @EventName("v1.Same")
    record SameA(String id) implements Event { }

    @EventName("v1.Same")
    record SameB(String id) implements Event { }

    @EventName("bad name!")
    record BadName(String id) implements Event { }

    static final class NotARecord implements Event { }

    @Test
    void eventWithoutEventNameIsRejected() {
        SchemaDefinitionException e = assertThrows(SchemaDefinitionException.class, () -> CompiledSchema.of(new Schema() {
            {
                on(Unnamed.class, (ev, tx) -> { });
            }
        }));
        assertEquals("LIVESTORE-0110", e.messageId());
        assertTrue(e.getMessage().contains("has no @EventName; add a stable versioned name such as @EventName(\"v1.Unnamed\")"), e.getMessage());
    }

    @Test
    void duplicateEventNameIsRejected() {
        SchemaDefinitionException e = assertThrows(SchemaDefinitionException.class, () -> CompiledSchema.of(new Schema() {
            {
                on(SameA.class, (ev, tx) -> { });
                on(SameB.class, (ev, tx) -> { });
            }
        }));
        assertTrue(e.getMessage().contains("event name 'v1.Same' is used by both"), e.getMessage());
    }

    @Test
    void twoMaterializersForOneTypeAreRejected() {
        SchemaDefinitionException e = assertThrows(SchemaDefinitionException.class, () -> new Schema() {
            {
                on(SameA.class, (ev, tx) -> { });
                on(SameA.class, (ev, tx) -> { });
            }
        });
        assertTrue(e.getMessage().contains("declares two materializers for"), e.getMessage());
    }

    @Test
    void invalidEventNameAndNonRecordEventsAreRejected() {
        assertThrows(SchemaDefinitionException.class, () -> CompiledSchema.of(new Schema() {
            {
                on(BadName.class, (ev, tx) -> { });
            }
        }));
        SchemaDefinitionException e = assertThrows(SchemaDefinitionException.class, () -> CompiledSchema.of(new Schema() {
            {
                on(NotARecord.class, (ev, tx) -> { });
            }
        }));
        assertTrue(e.getMessage().contains("must be a record"), e.getMessage());
    }

    @Test
    void invalidDdlIsReportedWithTheStatement() {
        SchemaDefinitionException e = assertThrows(SchemaDefinitionException.class, () -> CompiledSchema.of(new Schema() {
            {
                table("CREATE TABEL oops (x)");
            }
        }));
        assertTrue(e.getMessage().contains("invalid DDL 'CREATE TABEL oops (x)'"), e.getMessage());
    }

    @Test
    void reservedNamesAreRejected() {
        SchemaDefinitionException e = assertThrows(SchemaDefinitionException.class, () -> CompiledSchema.of(new Schema() {
            {
                table("CREATE TABLE __livestore_events (x)");
            }
        }));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    }

    static class NoDefaultConstructor extends Schema {
        NoDefaultConstructor(int x) {
        }
    }

    @Test
    void schemaClassNeedsANoArgumentConstructor() {
        SchemaDefinitionException e = assertThrows(SchemaDefinitionException.class, () -> CompiledSchema.of(NoDefaultConstructor.class));
        assertTrue(e.getMessage().contains("needs a no-argument constructor"), e.getMessage());
    }

    @Test
    void hashCoversDdlEventsAndVersionButNotWhitespace() {
        String base = CompiledSchema.of(IssueSchema.class).hash();
        assertEquals(base, CompiledSchema.of(IssueSchema.class).hash(), "stable");
        assertEquals(64, base.length());
        String ddlOnly = CompiledSchema.of(new Schema() {
            {
                table("CREATE TABLE t (x TEXT)");
            }
        }).hash();
        String ddlOnlySpaced = CompiledSchema.of(new Schema() {
            {
                table("  CREATE TABLE t   (x TEXT);");
            }
        }).hash();
        assertEquals(ddlOnly, ddlOnlySpaced);
        String withEvent = CompiledSchema.of(new Schema() {
            {
                table("CREATE TABLE t (x TEXT)");
                on(SameA.class, (ev, tx) -> { });
            }
        }).hash();
        assertNotEquals(ddlOnly, withEvent);
        String versioned = CompiledSchema.of(new Schema() {
            {
                table("CREATE TABLE t (x TEXT)");
                version("2");
            }
        }).hash();
        assertNotEquals(ddlOnly, versioned);
    }
}
