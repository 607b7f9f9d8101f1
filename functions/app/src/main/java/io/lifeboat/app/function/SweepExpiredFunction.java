package io.lifeboat.app.function;

import io.lifeboat.expiry.ExpirySweeper;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Map;

/** The {@code sweep-expired} function, run hourly: deletes expired backups and fails runs that died. */
@ApplicationScoped
public class SweepExpiredFunction {
    @Inject
    ExpirySweeper sweeper;
    /** Each expired backup's deletion; one whose location or cluster does not answer in time is left for the next sweep. */
    @ConfigProperty(name = "lifeboat.sweep.timeout", defaultValue = "2m")
    Duration timeout;
    @ConfigProperty(name = "lifeboat.sweep.concurrency", defaultValue = "4")
    int concurrency;

    @Funq("sweep-expired")
    public ExpirySweeper.Sweep sweepExpired(Map<String, Object> event) {
        return sweeper.sweep(timeout, concurrency);
    }
}
