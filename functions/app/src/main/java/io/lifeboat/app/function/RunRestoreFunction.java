package io.lifeboat.app.function;

import io.lifeboat.app.signal.RunMdc;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreExecutor;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The {@code run-restore} function: runs one restore the API recorded as New; a second delivery is a no-op. */
@ApplicationScoped
public class RunRestoreFunction {
    @Inject
    RestoreExecutor executor;

    @Funq("run-restore")
    public RunResult runRestore(RunBackupFunction.RecordRef request) {
        try (RunMdc mdc = RunMdc.open("run-restore", request.project, "restore", request.name)) {
            Restore restore = executor.run(request.project, request.name);
            return RunResult.of(request.project, request.name, restore == null ? null : restore.phase());
        }
    }
}
