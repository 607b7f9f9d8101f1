package io.lifeboat.api;

import io.lifeboat.app.worker.InProcessWorkers;
import io.lifeboat.app.worker.Workers;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;


/**
 * Workers whose start can be made to fail as a refused Lambda invocation does; otherwise they run in this process.
 * Enabled only by {@link WorkerRefusedApiTest}'s profile.
 */
@Alternative
@Singleton
public class RefusingWorkers implements Workers {
    static volatile boolean refuse;

    @Inject
    InProcessWorkers inProcess;

    @Override
    public io.lifeboat.location.Location validateLocation(String project, String name) {
        return inProcess.validateLocation(project, name);
    }

    @Override
    public void runBackup(String project, String name) {
        if (refuse) {
            throw new IllegalStateException("invoking Lambda lifeboat-run-backup failed: Rate Exceeded. (Status Code: 429)");
        }
        inProcess.runBackup(project, name);
    }

    @Override
    public void runRestore(String project, String name) {
        if (refuse) {
            throw new IllegalStateException("invoking Lambda lifeboat-run-restore failed: Rate Exceeded. (Status Code: 429)");
        }
        inProcess.runRestore(project, name);
    }

    @Override
    public void verifyBackup(String project, String name) {
        if (refuse) {
            throw new IllegalStateException("invoking Lambda lifeboat-run-backup failed: Rate Exceeded. (Status Code: 429)");
        }
        inProcess.verifyBackup(project, name);
    }
}
