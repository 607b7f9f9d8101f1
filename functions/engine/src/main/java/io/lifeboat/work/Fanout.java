package io.lifeboat.work;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One task per item with at most {@code concurrency} in flight: for starts that each wait on a round trip or two
 * (a conditional write, a record, an invocation), so that a thousand of them take the time of a few dozen. Items are
 * taken in order; the results come back in the order of the items. A task that throws does not stop the others
 * already taken: every taken item ends, then the first failure is thrown (an Error as well: say, a class on the
 * classpath that does not match the one compiled against).
 */
public final class Fanout {
    private Fanout() {
    }

    /** Every item's result (never null), in the order of {@code items}. */
    public static <T, R> List<R> map(List<T> items, int concurrency, Function<T, R> task) {
        return mapWhile(items, concurrency, () -> true, task).stream().map(Optional::orElseThrow).toList();
    }

    /**
     * Like {@link #map}, but an item is taken only while {@code takeMore} holds (asked before each): the items left
     * untaken come back empty, never started, as do the items whose task answered null. For a tick that must stop
     * taking work before its function's timeout.
     */
    public static <T, R> List<Optional<R>> mapWhile(List<T> items, int concurrency, BooleanSupplier takeMore,
                                                    Function<T, R> task) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        Object[] results = new Object[items.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            while (takeMore.getAsBoolean()) {
                int index = next.getAndIncrement();
                if (index >= items.size()) {
                    return;
                }
                try {
                    results[index] = task.apply(items.get(index));
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e); // an Error too: a worker that died would leave its items untaken unsaid
                }
            }
        };
        int threads = Math.min(concurrency, items.size());
        if (threads <= 1) {
            worker.run(); // one at a time needs no thread of its own
        } else {
            runOnThreads(worker, threads);
        }
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
        List<Optional<R>> done = new ArrayList<>(items.size());
        for (Object result : Arrays.asList(results)) {
            @SuppressWarnings("unchecked")
            R value = (R) result;
            done.add(Optional.ofNullable(value));
        }
        return done;
    }

    private static void runOnThreads(Runnable worker, int count) {
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(worker, "lifeboat-fanout-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        try {
            for (Thread thread : threads) {
                thread.join(); // Thread.join is a happens-before edge: the results written are seen here
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the started tasks", e);
        }
    }
}
