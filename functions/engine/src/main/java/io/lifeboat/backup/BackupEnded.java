package io.lifeboat.backup;

import io.lifeboat.signal.RunEnded;

/** What the signals report of a finished backup: items backed up, archive size, counts, time from start to end. */
public final class BackupEnded {
    private BackupEnded() {
    }

    public static RunEnded of(Backup backup) {
        return new RunEnded(RunEnded.Kind.BACKUP, backup.project(), backup.name(), backup.phase().name(), null,
                backup.progress().itemsBackedUp(), backup.sizeBytes(), backup.warnings(), backup.errors(),
                RunEnded.between(backup.startedAt(), backup.completedAt()), backup.completedAt(),
                backup.firstErrors().isEmpty() ? null : backup.firstErrors().get(0));
    }
}
