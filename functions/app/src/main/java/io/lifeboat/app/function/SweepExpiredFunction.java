package io.lifeboat.app.function;

import io.lifeboat.backup.ExpirySweeper;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;

/** The {@code sweep-expired} function, run hourly: deletes expired backups and fails runs that died. */
@ApplicationScoped
public class SweepExpiredFunction {
    @Inject
    ExpirySweeper sweeper;

    @Funq("sweep-expired")
    public Map<String, Object> sweepExpired(Map<String, Object> event) {
        ExpirySweeper.Sweep sweep = sweeper.sweep();
        return Map.of("deleted", sweep.deleted(), "stillDeleting", sweep.stillDeleting(), "interrupted", sweep.interrupted());
    }
}
