package io.livestore.registry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts registry hits exactly, without a shared write and without a {@code ThreadLocal} on the hit
 * path. A shared atomic (even a LongAdder, whose CAS costs as much as the rest of a hit) or a counter
 * on the store's entry made every hit move a cache line between cores; a {@code ThreadLocal} lookup
 * cost about as much as the map lookup of the hit itself.
 *
 * <p>Instead a thread increments a cell picked by its thread id, but only a cell it <em>owns</em>:
 * one writer per cell, so a plain read-modify-write never loses an update. A thread that finds its
 * cell owned by another live thread counts on a shared {@link LongAdder} instead (exact, just slower);
 * the cell of a thread that has died is taken over — its final count is visible to the new owner,
 * because a thread's termination happens-before another thread's {@code isAlive()} returning false.
 * Thread ids are never reused, so with {@link #CELLS} cells, threads with distinct ids mod
 * {@code CELLS} all count on their own cell.
 */
final class HitCounter {

    /** Enough for the worker threads of a server; power of two. */
    static final int CELLS = 256;

    private static final VarHandle COUNT;
    private static final VarHandle OWNER;
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(Cell[].class);

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(Cell.class, "count", long.class);
            OWNER = MethodHandles.lookup().findVarHandle(Cell.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Fields before and after keep a cell's owner and count off its neighbours' cache lines. */
    @SuppressWarnings("unused")
    private static class PaddingBefore {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    /** One thread's count; only {@link #owner} writes {@link #count}. */
    @SuppressWarnings("unused")
    static final class Cell extends PaddingBefore {
        /** Changed by CAS only; a hit that reads another thread here takes the slow path. */
        volatile Thread owner;

        Cell(Thread owner) {
            this.owner = owner;
        }
        long count;
        long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
    }

    private final Cell[] cells = new Cell[CELLS];
    /** The cells created so far, for {@link #sum()} (which thus reads only the cells in use). */
    private final Queue<Cell> created = new ConcurrentLinkedQueue<>();
    private final LongAdder shared = new LongAdder();

    void increment() {
        Thread t = Thread.currentThread();
        Cell c = cells[(int) t.getId() & (CELLS - 1)];
        if (c != null && c.owner == t) {
            // The only writer of this cell: no atomic needed, and opaque so sum() never sees a torn value.
            COUNT.setOpaque(c, (long) COUNT.getOpaque(c) + 1);
        } else {
            incrementSlow(t);
        }
    }

    private void incrementSlow(Thread t) {
        int i = (int) t.getId() & (CELLS - 1);
        Cell c = (Cell) CELL.getVolatile(cells, i);
        if (c == null) {
            Cell fresh = new Cell(t);
            if (CELL.compareAndSet(cells, i, null, fresh)) {
                COUNT.setOpaque(fresh, 1L);
                created.add(fresh);
                return;
            }
            c = (Cell) CELL.getVolatile(cells, i);
        }
        Thread owner = c.owner;
        // A dead owner's cell is taken over: its final count carries on (see the class comment).
        if (owner == t || !owner.isAlive() && OWNER.compareAndSet(c, owner, t)) {
            COUNT.setOpaque(c, (long) COUNT.getOpaque(c) + 1);
            return;
        }
        shared.increment();
    }

    /** The total; concurrent increments may or may not be included yet. */
    long sum() {
        long total = shared.sum();
        for (Cell c : created) {
            total += (long) COUNT.getOpaque(c);
        }
        return total;
    }
}
