package io.lifeboat.app.worker;

import io.lifeboat.app.function.RunBackupFunction;
import io.lifeboat.app.function.RunRestoreFunction;
import io.lifeboat.app.function.ValidateLocationFunction;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationService;
import jakarta.enterprise.inject.Typed;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Runs the functions in this process: local mode and tests. Asynchronous ones run on a small worker pool. */
@ApplicationScoped
@Typed(InProcessWorkers.class)
public class InProcessWorkers implements Workers {
    private static final Logger LOG = Logger.getLogger(InProcessWorkers.class);
    private final ExecutorService pool = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "lifeboat-worker");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    ValidateLocationFunction validateLocation;
    @Inject
    RunBackupFunction runBackup;
    @Inject
    RunRestoreFunction runRestore;
    @Inject
    LocationService locations;

    @Override
    public Location validateLocation(String project, String name) {
        validateLocation.validateLocation(new ValidateLocationFunction.ValidateLocationRequest(project, name));
        return locations.get(project, name);
    }

    @Override
    public void runBackup(String project, String name) {
        pool.submit(() -> {
            try {
                runBackup.runBackup(new RunBackupFunction.BackupRef(project, name));
            } catch (RuntimeException e) {
                LOG.errorf("run-backup %s/%s failed: %s", project, name, e.getClass().getName());
            }
        });
    }

    @Override
    public void runRestore(String project, String name) {
        pool.submit(() -> {
            try {
                runRestore.runRestore(new RunBackupFunction.RecordRef(project, name));
            } catch (RuntimeException e) {
                LOG.errorf("run-restore %s/%s failed: %s", project, name, e.getClass().getName());
            }
        });
    }

    @Override
    public void verifyBackup(String project, String name) {
        pool.submit(() -> {
            try {
                runBackup.runBackup(RunBackupFunction.BackupRef.verify(project, name));
            } catch (RuntimeException e) {
                LOG.errorf("the verification of backup %s/%s failed: %s", project, name, e.getClass().getName());
            }
        });
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
