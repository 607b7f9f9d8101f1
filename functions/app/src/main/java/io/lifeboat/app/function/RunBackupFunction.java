package io.lifeboat.app.function;

import io.lifeboat.app.signal.RunMdc;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The {@code run-backup} function: runs one backup that the API recorded as New. Lambda and EventBridge deliver at
 * least once; the executor's conditional claim makes a second delivery a no-op.
 */
@ApplicationScoped
public class RunBackupFunction {
    @Inject
    BackupExecutor executor;

    @Funq("run-backup")
    public RunResult runBackup(RecordRef request) {
        try (RunMdc mdc = RunMdc.open("run-backup", request.project, "backup", request.name)) {
            Backup backup = executor.run(request.project, request.name);
            return RunResult.of(request.project, request.name, backup == null ? null : backup.phase());
        }
    }

    /** {@code {"project", "name"}}: the record a worker function runs. */
    public static class RecordRef {
        public String project;
        public String name;

        public RecordRef() {
        }

        public RecordRef(String project, String name) {
            this.project = project;
            this.name = name;
        }
    }
}
