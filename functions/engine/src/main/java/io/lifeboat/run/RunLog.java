package io.lifeboat.run;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The log of one backup or restore run, written to its -logs.gz file: a few lines per type, never one per item. */
public final class RunLog {
    private static final int MAX_LINES = 20_000;
    private final Clock clock;
    private final List<String> lines = new ArrayList<>();

    public RunLog(Clock clock) {
        this.clock = clock;
    }

    public synchronized void info(String message) {
        add("info", message);
    }

    public synchronized void warn(String message) {
        add("warning", message);
    }

    public synchronized void error(String message) {
        add("error", message);
    }

    private void add(String level, String message) {
        if (lines.size() < MAX_LINES) {
            lines.add("time=\"" + clock.instant() + "\" level=" + level + " msg=\"" + message.replace("\"", "'") + "\"");
        }
    }

    public synchronized String text() {
        return String.join("\n", lines) + "\n";
    }
}
