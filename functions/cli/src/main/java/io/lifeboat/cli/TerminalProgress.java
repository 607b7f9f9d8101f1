package io.lifeboat.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * Progress bars redrawn in place on a terminal: each update moves the cursor back up over the lines it drew last time
 * (ANSI "cursor up" and "erase to end of line") and draws them again, so a workspace run keeps one line per cluster.
 * Lines are cut to the terminal's width: a line that wrapped would take two rows, and going back up would miss one.
 */
final class TerminalProgress implements ProgressView {
    private static final String ESC = "\u001b[";

    private final PrintWriter out;
    private final int columns;
    private int drawn;

    TerminalProgress(PrintWriter out, int columns) {
        this.out = out;
        this.columns = columns;
    }

    @Override
    public void update(List<Bar> bars) {
        draw(bars);
    }

    @Override
    public void finish(List<Bar> bars) {
        draw(bars);
        drawn = 0;
    }

    private void draw(List<Bar> bars) {
        StringBuilder text = new StringBuilder();
        if (drawn > 0) {
            text.append('\r').append(ESC).append(drawn).append('A');
        }
        int width = bars.stream().mapToInt(b -> b.label().length()).max().orElse(0);
        for (Bar bar : bars) {
            String line = bar.render(width, true);
            text.append('\r').append(line.length() < columns ? line : line.substring(0, columns - 1))
                    .append(ESC).append('K').append('\n');
        }
        for (int extra = bars.size(); extra < drawn; extra++) {
            text.append('\r').append(ESC).append('K').append('\n'); // a line drawn before and not needed now
        }
        out.print(text);
        out.flush();
        drawn = Math.max(bars.size(), drawn);
    }
}
