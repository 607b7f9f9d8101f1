package io.lifeboat.work;

import java.time.Duration;

/**
 * How a run waits between two looks at something (a snapshot becoming ready, a retried list): the thread sleeps in
 * production; in tests a manual clock moves on instead, so that no test waits on wall time. Deadlines are read from
 * the run's {@link java.time.Clock}, which a test's pauses advance.
 */
@FunctionalInterface
public interface Pause {
    /** Sleeps the thread. */
    Pause SLEEP = duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);

    void pause(Duration duration) throws InterruptedException;
}
