package io.lifeboat.app.function;

import io.lifeboat.app.worker.Workers;
import io.lifeboat.schedule.ScheduleService;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;

/**
 * The {@code tick-schedules} function, run every minute (an EventBridge rule in AWS, the local scheduler locally):
 * starts one backup for each schedule that is due. Its input, the EventBridge event, is not needed.
 */
@ApplicationScoped
public class TickSchedulesFunction {
    @Inject
    ScheduleService schedules;
    @Inject
    Workers workers;

    @Funq("tick-schedules")
    public Ticked tickSchedules(Map<String, Object> event) {
        return new Ticked(schedules.tick(workers::runBackup));
    }

    /** The backups started, as {@code project/name}. */
    public record Ticked(List<String> started) {
    }
}
