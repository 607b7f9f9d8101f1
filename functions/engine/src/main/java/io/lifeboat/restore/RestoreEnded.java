package io.lifeboat.restore;

import io.lifeboat.signal.RunEnded;

/** What the signals report of a finished restore: items restored, counts, time from start to end. */
public final class RestoreEnded {
    private RestoreEnded() {
    }

    public static RunEnded of(Restore restore) {
        return new RunEnded(RunEnded.Kind.RESTORE, restore.project(), restore.name(), restore.phase().name(), null,
                restore.progress().itemsRestored(), 0, restore.warnings(), restore.errors(),
                RunEnded.between(restore.startedAt(), restore.completedAt()), restore.completedAt(),
                restore.firstRunError().orElse(null));
    }
}
