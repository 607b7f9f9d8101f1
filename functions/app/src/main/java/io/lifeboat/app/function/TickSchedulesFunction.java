package io.lifeboat.app.function;

import io.lifeboat.app.signal.RunMdc;
import io.lifeboat.app.worker.Workers;
import io.lifeboat.signal.RunEnded;
import io.lifeboat.signal.RunSignals;
import io.lifeboat.schedule.ScheduleService;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code tick-schedules} function, run every minute (an EventBridge rule in AWS, the local scheduler locally):
 * starts one backup for each schedule that is due, {@code lifeboat.tick.concurrency} at once, taking new slots for
 * {@code lifeboat.tick.budget}. Its input, the EventBridge event, is not needed.
 */
@ApplicationScoped
public class TickSchedulesFunction {
    @Inject
    ScheduleService schedules;
    @Inject
    Workers workers;
    @Inject
    RunSignals signals;
    @Inject
    Clock clock;
    /** Slots being started at once (each: a conditional write, the backup's record, an invocation, the run's record). */
    @ConfigProperty(name = "lifeboat.tick.concurrency", defaultValue = "32")
    int concurrency;
    /** How long after its start a tick still takes new slots; the rest stay due for the next tick (60 s timeout). */
    @ConfigProperty(name = "lifeboat.tick.budget", defaultValue = "40s")
    Duration budget;

    @Funq("tick-schedules")
    public Ticked tickSchedules(Map<String, Object> event) {
        try (RunMdc mdc = RunMdc.open("tick-schedules", null, "run", "tick")) {
            Instant begun = clock.instant();
            List<String> started = schedules.tick(workers::runBackup, new ScheduleService.TickLimits(concurrency, budget));
            Instant ended = clock.instant();
            signals.ended(new RunEnded(RunEnded.Kind.TICK, null, "tick", "Completed", null, started.size(), 0, 0, 0,
                    Duration.between(begun, ended), ended, null));
            return new Ticked(started);
        }
    }

    /** The backups started, as {@code project/name}. */
    public record Ticked(List<String> started) {
    }
}
