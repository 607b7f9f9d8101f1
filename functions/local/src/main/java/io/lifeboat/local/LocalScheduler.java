package io.lifeboat.local;

import io.lifeboat.app.function.SweepExpiredFunction;
import io.lifeboat.app.function.TickSchedulesFunction;
import io.lifeboat.app.function.ValidateLocationFunction;
import io.lifeboat.app.wiring.TableBootstrap;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Local mode's stand-in for the EventBridge rules: the cron triggers run in this process. */
@ApplicationScoped
public class LocalScheduler {
    @Inject
    ValidateLocationFunction validateLocation;
    @Inject
    TickSchedulesFunction tickSchedules;

    @Inject
    SweepExpiredFunction sweepExpired;
    @Inject
    TableBootstrap tables;

    /** EventBridge runs sweep-expired hourly; locally LIFEBOAT_SWEEP_INTERVAL sets it (e.g. 30s). */
    @Scheduled(every = "${lifeboat.local.sweep-every}", delayed = "${lifeboat.local.sweep-every}")
    void sweepExpired() {
        if (!tables.ready()) {
            return;
        }
        sweepExpired.sweepExpired(java.util.Map.of());
    }

    /** EventBridge runs tick-schedules every minute. */
    @Scheduled(cron = "${lifeboat.local.tick-cron}")
    void tickSchedules() {
        if (!tables.ready()) {
            return; // a trigger during start-up: the tables are still being created
        }
        tickSchedules.tickSchedules(java.util.Map.of());
    }

    /** EventBridge runs validate-location every 5 minutes with an event that names no location: all of them. */
    @Scheduled(every = "${lifeboat.local.validate-every}", delayed = "${lifeboat.local.validate-every}")
    void validateLocations() {
        if (!tables.ready()) {
            return;
        }
        validateLocation.validateLocation(new ValidateLocationFunction.ValidateLocationRequest());
    }
}
