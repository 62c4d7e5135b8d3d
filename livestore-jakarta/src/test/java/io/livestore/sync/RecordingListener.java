package io.livestore.sync;

import static org.junit.jupiter.api.Assertions.fail;

import io.livestore.store.spi.ChangeListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records every call an upstream makes to it, with the calling thread, and waits for calls with a deadline. */
final class RecordingListener implements ChangeListener {

    /** Long enough for a notification through a loaded machine's database; only a failing test waits this long. */
    static final Duration DEADLINE = Duration.ofSeconds(20);

    /** One call: {@code storeId} is null for a resync. */
    record Call(String storeId, long head, Thread thread) {
        boolean isResync() {
            return storeId == null;
        }
    }

    private final LinkedBlockingQueue<Call> pending = new LinkedBlockingQueue<>();
    private final List<Call> all = new ArrayList<>();

    @Override
    public void changed(String storeId, long head) {
        record(new Call(storeId, head, Thread.currentThread()));
    }

    @Override
    public void resync() {
        record(new Call(null, -1, Thread.currentThread()));
    }

    private void record(Call call) {
        synchronized (all) {
            all.add(call);
        }
        pending.add(call);
    }

    /** Every call so far, in order. */
    List<Call> calls() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** The next call not yet taken; fails after the deadline. */
    Call next() throws InterruptedException {
        Call call = pending.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (call == null) {
            fail("no call to the listener within " + DEADLINE + "; calls so far: " + calls());
        }
        return call;
    }

    /** Takes calls until a resync; fails after the deadline. */
    Call awaitResync() throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Call call = pending.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (call == null) {
                return fail("no resync within " + DEADLINE + "; calls so far: " + calls());
            }
            if (call.isResync()) {
                return call;
            }
        }
    }

    /** Takes calls until {@code changed(storeId, h)} with {@code h >= head}; fails after the deadline. */
    Call awaitChanged(String storeId, long head) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Call call = pending.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (call == null) {
                return fail("no changed('" + storeId + "', >= " + head + ") within " + DEADLINE + "; calls so far: "
                        + calls());
            }
            if (storeId.equals(call.storeId()) && call.head() >= head) {
                return call;
            }
        }
    }
}
