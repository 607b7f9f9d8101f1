package io.lifeboat.app.signal;

import org.jboss.logging.MDC;

/**
 * The run a log line belongs to, in the MDC (JSON logs carry it as {@code mdc}): {@code function}, {@code project},
 * and the run's name under its kind ({@code backup}, {@code restore}, {@code run} for others). Opened when a function
 * starts and closed when it ends, so that a worker thread carries nothing into its next run.
 */
public final class RunMdc implements AutoCloseable {
    public static final String FUNCTION = "function";
    public static final String PROJECT = "project";

    private final String kind;

    private RunMdc(String function, String project, String kind, String name) {
        this.kind = kind;
        MDC.put(FUNCTION, function);
        put(PROJECT, project);
        put(kind, name);
    }

    /** {@code kind}: backup, restore or run. Null values are left out. */
    public static RunMdc open(String function, String project, String kind, String name) {
        return new RunMdc(function, project, kind, name);
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        } else {
            MDC.remove(key);
        }
    }

    @Override
    public void close() {
        MDC.remove(FUNCTION);
        MDC.remove(PROJECT);
        MDC.remove(kind);
    }
}
