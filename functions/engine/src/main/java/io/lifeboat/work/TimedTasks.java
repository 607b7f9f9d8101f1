package io.lifeboat.work;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One task per item, at most {@code concurrency} at once, each with its own timeout counted from its own start: an
 * item that never answers is reported as timed out (its thread interrupted and left behind), and the others go on.
 * For the periodic jobs over every location or backup, where one bucket that hangs must not stop the rest.
 */
public final class TimedTasks {
    private TimedTasks() {
    }

    /** What became of one item: its value, or that it timed out, or how it failed. */
    public record Outcome<T, R>(T item, R value, boolean timedOut, RuntimeException failure) {
        public boolean succeeded() {
            return !timedOut && failure == null;
        }
    }

    /** The outcomes in the order of {@code items}. */
    public static <T, R> List<Outcome<T, R>> run(List<T> items, int concurrency, Duration timeout, Function<T, R> task) {
        if (items.isEmpty()) {
            return List.of();
        }
        ExecutorService slots = Executors.newFixedThreadPool(Math.min(concurrency, items.size()), daemon("lifeboat-slot"));
        ExecutorService workers = Executors.newCachedThreadPool(daemon("lifeboat-task"));
        try {
            List<Future<Outcome<T, R>>> outcomes = new ArrayList<>();
            for (T item : items) {
                outcomes.add(slots.submit(() -> runOne(item, timeout, task, workers)));
            }
            List<Outcome<T, R>> done = new ArrayList<>();
            for (Future<Outcome<T, R>> outcome : outcomes) {
                done.add(outcome.get());
            }
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the tasks", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            slots.shutdownNow();
            workers.shutdownNow();
        }
    }

    private static <T, R> Outcome<T, R> runOne(T item, Duration timeout, Function<T, R> task, ExecutorService workers)
            throws InterruptedException {
        Future<R> future = workers.submit(() -> task.apply(item));
        try {
            return new Outcome<>(item, future.get(timeout.toMillis(), TimeUnit.MILLISECONDS), false, null);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome<>(item, null, true, null);
        } catch (ExecutionException e) {
            return new Outcome<>(item, null, false, e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(e.getCause()));
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
