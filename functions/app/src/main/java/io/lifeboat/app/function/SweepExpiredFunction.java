package io.lifeboat.app.function;

import io.lifeboat.app.signal.RunMdc;
import io.lifeboat.expiry.ExpirySweeper;
import io.lifeboat.signal.RunEnded;
import io.lifeboat.signal.RunSignals;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The {@code sweep-expired} function, run hourly: deletes expired backups and fails runs that died. */
@ApplicationScoped
public class SweepExpiredFunction {
    @Inject
    ExpirySweeper sweeper;
    @Inject
    RunSignals signals;
    @Inject
    Clock clock;
    /** Each expired backup's deletion; one whose location or cluster does not answer in time is left for the next sweep. */
    @ConfigProperty(name = "lifeboat.sweep.timeout", defaultValue = "2m")
    Duration timeout;
    @ConfigProperty(name = "lifeboat.sweep.concurrency", defaultValue = "4")
    int concurrency;

    @Funq("sweep-expired")
    public ExpirySweeper.Sweep sweepExpired(Map<String, Object> event) {
        try (RunMdc mdc = RunMdc.open("sweep-expired", null, "run", "sweep")) {
            Instant started = clock.instant();
            ExpirySweeper.Sweep sweep = sweeper.sweep(timeout, concurrency);
            Instant ended = clock.instant();
            int stuck = sweep.interrupted().size() + sweep.timedOut().size();
            signals.ended(new RunEnded(RunEnded.Kind.SWEEP, null, "sweep", stuck == 0 ? "Completed" : "PartiallyFailed",
                    null, sweep.deleted().size(), 0, sweep.timedOut().size(), 0, Duration.between(started, ended), ended,
                    null));
            return sweep;
        }
    }
}
