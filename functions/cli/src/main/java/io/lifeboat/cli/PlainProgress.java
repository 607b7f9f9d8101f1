package io.lifeboat.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Progress for a pipe or a log file: one plain line per run when its phase changes, or when its count changed and
 * {@value #EVERY_MILLIS} ms have passed since its last line, and its last state at the end. No escape codes, no bar.
 */
final class PlainProgress implements ProgressView {
    static final long EVERY_MILLIS = 2_000;

    private record Shown(String phase, long done, long atMillis) {
    }

    private final PrintWriter out;
    private final LongSupplier millis;
    private final Map<String, Shown> shown = new HashMap<>();

    PlainProgress(PrintWriter out, LongSupplier millis) {
        this.out = out;
        this.millis = millis;
    }

    @Override
    public void update(List<Bar> bars) {
        long now = millis.getAsLong();
        int width = bars.stream().mapToInt(b -> b.label().length()).max().orElse(0);
        for (Bar bar : bars) {
            Shown last = shown.get(bar.label());
            boolean due = last == null || !last.phase().equals(bar.phase())
                    || (last.done() != bar.done() && now - last.atMillis() >= EVERY_MILLIS);
            if (due) {
                out.println(bar.render(width, false));
                shown.put(bar.label(), new Shown(bar.phase(), bar.done(), now));
            }
        }
        out.flush();
    }

    @Override
    public void finish(List<Bar> bars) {
        int width = bars.stream().mapToInt(b -> b.label().length()).max().orElse(0);
        long now = millis.getAsLong();
        for (Bar bar : bars) {
            Shown last = shown.get(bar.label());
            if (last == null || !last.phase().equals(bar.phase()) || last.done() != bar.done()) {
                out.println(bar.render(width, false));
                shown.put(bar.label(), new Shown(bar.phase(), bar.done(), now));
            }
        }
        out.flush();
    }
}
