package io.lifeboat.run;

import io.lifeboat.signal.RunEnded;
import io.lifeboat.signal.RunSignals;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The one shape of a backup's and a restore's run: claim the record (New → InProgress, conditional: a second
 * delivery of the same request does nothing), execute, and finish, always once, with the outcome. A
 * {@link RunFailure} thrown by the execution ends the run as Failed with its message as an error of the run; the
 * executor turns any other failure into one, with what it may show.
 *
 * @param <R> the record (a backup, a restore)
 * @param <S> the state of one run: what the execution has done so far, which a failed outcome still reports
 * @param <O> the outcome recorded when the run ends
 */
public abstract class RunSkeleton<R, S, O> {
    protected final Clock clock;
    private final RunSignals signals;

    protected RunSkeleton(Clock clock, RunSignals signals) {
        this.clock = clock;
        this.signals = signals;
    }

    /** Runs the record if it is still New; returns it afterwards (null if it no longer exists). */
    public final R run(String project, String name) {
        R requested = find(project, name).orElse(null);
        if (requested == null || !isNew(requested)) {
            return requested;
        }
        Instant startedAt = clock.instant();
        if (!claim(project, name, startedAt)) {
            return find(project, name).orElse(null);
        }
        RunLog log = new RunLog(clock);
        Results results = new Results();
        S run = start(requested, startedAt, log, results);
        O outcome;
        try {
            outcome = execute(run);
        } catch (RunFailure e) {
            results.errorOfRun(e.getMessage());
            outcome = failed(run, e);
        }
        return finish(project, name, run, outcome);
    }

    /**
     * The one place a run ends: its outcome is recorded, the signals are told (metrics, events, webhooks), and the
     * record as it ends is returned.
     */
    private R finish(String project, String name, S run, O outcome) {
        record(project, name, outcome);
        R finished = finished(run, outcome);
        signals.ended(ended(finished));
        return finished;
    }

    protected abstract Optional<R> find(String project, String name);

    protected abstract boolean isNew(R record);

    /** Turns the record InProgress, on the condition that it is New; false when another run has it. */
    protected abstract boolean claim(String project, String name, Instant startedAt);

    /** The state of the run just claimed, with its log and results. */
    protected abstract S start(R requested, Instant startedAt, RunLog log, Results results);

    /** Does the work; throws {@link RunFailure} to end the run as Failed. */
    protected abstract O execute(S run);

    /** The outcome of a run that failed: what it did until then, phase Failed. */
    protected abstract O failed(S run, RunFailure failure);

    /** Records the outcome (the phase, counts and messages the record keeps). */
    protected abstract void record(String project, String name, O outcome);

    /** The record as the run ends. */
    protected abstract R finished(S run, O outcome);

    /** What the signals are told of the record as it ends. */
    protected abstract RunEnded ended(R finished);
}
