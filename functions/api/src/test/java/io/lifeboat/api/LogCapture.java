package io.lifeboat.api;

import org.jboss.logmanager.ExtLogRecord;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Collects every log line of the application while a test runs, formatted as they would be written, and each with the
 * MDC it was logged under (the project and the run JSON logs carry).
 */
final class LogCapture extends Handler {
    record Entry(String logger, String message, Map<String, String> mdc) {
    }

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    static LogCapture install() {
        LogCapture capture = new LogCapture();
        capture.setLevel(java.util.logging.Level.ALL);
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    void uninstall() {
        Logger.getLogger("").removeHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        String line = formatter.format(record);
        lines.add(line);
        Map<String, String> mdc = record instanceof ExtLogRecord ext ? Map.copyOf(ext.getMdcCopy()) : Map.of();
        entries.add(new Entry(record.getLoggerName(), line, mdc));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    List<String> lines() {
        return lines;
    }

    List<Entry> entries() {
        return entries;
    }
}
