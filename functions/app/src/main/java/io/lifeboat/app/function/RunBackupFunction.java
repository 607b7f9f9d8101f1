package io.lifeboat.app.function;

import io.lifeboat.app.signal.RunMdc;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
import io.lifeboat.verification.BackupVerifications;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The {@code run-backup} function: runs one backup that the API recorded as New, then, when the backup asked for it
 * ({@code verifyAfter}), verifies its files. Lambda and EventBridge deliver at least once; the executor's conditional
 * claim makes a second delivery a no-op. Asked with {@code "verify": true}, it verifies an existing backup instead
 * ({@code POST …/backups/{name}/verify}): the same role, the same reach into the location.
 */
@ApplicationScoped
public class RunBackupFunction {
    @Inject
    BackupExecutor executor;
    @Inject
    BackupVerifications verifications;

    @Funq("run-backup")
    public RunResult runBackup(BackupRef request) {
        try (RunMdc mdc = RunMdc.open("run-backup", request.project, "backup", request.name)) {
            Backup backup = request.verify ? verifications.run(request.project, request.name)
                    : verifications.afterBackup(executor.run(request.project, request.name));
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

    /** {@code {"project", "name", "verify"?}}: the backup to run, or with {@code verify} true, to verify. */
    public static class BackupRef extends RecordRef {
        public boolean verify;

        public BackupRef() {
        }

        public BackupRef(String project, String name) {
            super(project, name);
        }

        public static BackupRef verify(String project, String name) {
            BackupRef ref = new BackupRef(project, name);
            ref.verify = true;
            return ref;
        }
    }
}
