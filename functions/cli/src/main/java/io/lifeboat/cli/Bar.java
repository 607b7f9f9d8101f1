package io.lifeboat.cli;

import java.time.Duration;
import java.util.Locale;

/**
 * One run's progress as a line shows it: its label (the run, or a workspace member's cluster), items done of the
 * total ("?" while a running run does not know it yet), items per second since the wait began, the time waited, its phase.
 */
record Bar(String label, long done, long total, Double perSecond, Duration elapsed, String phase) {
    static final int WIDTH = 30;

    /** "[###########-------------------]  26/52 items  41 items/s  0:03  InProgress", the label padded to {@code labelWidth}. */
    String render(int labelWidth, boolean graphic) {
        StringBuilder line = new StringBuilder();
        line.append(label).append(" ".repeat(Math.max(0, labelWidth - label.length()))).append("  ");
        boolean running = phase.equals("New") || phase.equals("InProgress");
        if (graphic) {
            // a running backup's total grows as it lists the cluster, so its count often equals its total: the bar
            // is full only once the run has finished
            int filled = total <= 0 ? 0 : (int) Math.min(running ? WIDTH - 1 : WIDTH, done * WIDTH / total);
            line.append('[').append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("]  ");
        }
        line.append(done).append('/').append(total > 0 || !running ? String.valueOf(total) : "?").append(" items");
        line.append("  ").append(perSecond == null ? "-" : String.format(Locale.ROOT, "%.0f", perSecond)).append(" items/s");
        line.append("  ").append(Times.clock(elapsed));
        line.append("  ").append(phase);
        return line.toString();
    }
}
