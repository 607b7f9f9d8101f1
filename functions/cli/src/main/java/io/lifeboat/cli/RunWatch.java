package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code --wait}: reads a run's record again and again until it has finished, showing its progress on a
 * {@link ProgressView} (a bar per run, or per member cluster of a workspace run), and answers the last record. Items
 * per second are counted from what the wait saw; once a run has finished, from its own start and end times.
 */
final class RunWatch {
    /** One run's state in a record: a label, items done of the total, its phase, and its start and end when known. */
    record Item(String label, long done, long total, String phase, Instant startedAt, Instant completedAt) {
    }

    private record Seen(long done, long atMillis) {
    }

    /** Failed reads in a row that a wait rides out before it gives up. */
    static final int MAX_FAILURES = 5;

    private final ProgressView view;
    private final LongSupplier millis;
    private final Duration interval;
    private final Map<String, Seen> first = new HashMap<>();
    private long startMillis;

    RunWatch(ProgressView view, LongSupplier millis, Duration interval) {
        this.view = view;
        this.millis = millis;
        this.interval = interval;
    }

    /** A live bar when {@code out} is a terminal, plain lines otherwise; polled every half second. */
    static RunWatch of(PrintWriter out, CliIo io) {
        LongSupplier millis = () -> System.nanoTime() / 1_000_000;
        return new RunWatch(io.terminal() ? new TerminalProgress(out, TerminalWidth.of(io)) : new PlainProgress(out, millis),
                millis, Duration.ofMillis(500));
    }

    JsonNode await(Supplier<JsonNode> poll, Function<JsonNode, List<Item>> items, Predicate<JsonNode> finished) {
        startMillis = millis.getAsLong();
        int failures = 0;
        while (true) {
            JsonNode record;
            try {
                record = poll.get();
                failures = 0;
            } catch (CliException e) {
                // a passing failure (a 5xx, a dropped connection) does not end a long wait; a 4xx does at once
                boolean passing = !(e instanceof ApiError api) || api.status() >= 500;
                if (!passing || ++failures > MAX_FAILURES) {
                    throw e;
                }
                pause();
                continue;
            }
            boolean done = finished.test(record);
            List<Bar> bars = bars(items.apply(record), done);
            if (done) {
                view.finish(bars);
                return record;
            }
            view.update(bars);
            pause();
        }
    }

    private void pause() {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting");
        }
    }

    private List<Bar> bars(List<Item> items, boolean finished) {
        long now = millis.getAsLong();
        Duration elapsed = Duration.ofMillis(now - startMillis);
        List<Bar> bars = new ArrayList<>();
        for (Item item : items) {
            Seen seen = first.computeIfAbsent(item.label(), label -> new Seen(item.done(), now));
            Double rate = null;
            if (finished && item.startedAt() != null && item.completedAt() != null) {
                long runMillis = Duration.between(item.startedAt(), item.completedAt()).toMillis();
                rate = runMillis > 0 ? item.done() * 1000.0 / runMillis : null;
            }
            if (rate == null && now - seen.atMillis() >= 500 && item.done() > seen.done()) {
                rate = (item.done() - seen.done()) * 1000.0 / (now - seen.atMillis());
            }
            bars.add(new Bar(item.label(), item.done(), item.total(), rate, elapsed, item.phase()));
        }
        return bars;
    }
}
