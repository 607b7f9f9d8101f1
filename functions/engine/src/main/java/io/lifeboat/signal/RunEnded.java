package io.lifeboat.signal;

import java.time.Duration;
import java.time.Instant;

/**
 * One run that ended, with the numbers every signal reports: what kind of run, whose ({@code project} is null for a
 * run over every project: sweep, tick), its phase (and the phase before, for a validation), items, bytes, warnings,
 * errors and how long it took. {@code message} is the first error, when there is one (never a secret: the
 * executors redact their messages).
 */
public record RunEnded(Kind kind, String project, String name, String phase, String previousPhase, long items,
                       long bytes, int warnings, int errors, Duration duration, Instant endedAt, String message) {

    /** The kinds of run; {@code function} is the function it ends in (the metrics dimension), {@code title} how events name it. */
    public enum Kind {
        BACKUP("backup", "run-backup", "Backup"),
        RESTORE("restore", "run-restore", "Restore"),
        VALIDATION("location", "validate-location", "Location Validation"),
        SWEEP("sweep", "sweep-expired", "Expiry Sweep"),
        TICK("tick", "tick-schedules", "Schedule Tick"),
        WORKSPACE_BACKUP("workspace-backup", "workspace-backup", "Workspace Backup"),
        WORKSPACE_RESTORE("workspace-restore", "workspace-restore", "Workspace Restore");

        private final String noun;
        private final String function;
        private final String title;

        Kind(String noun, String function, String title) {
            this.noun = noun;
            this.function = function;
            this.title = title;
        }

        /** What the run is about, as events and metrics name it: backup, restore, location, workspace-backup… */
        public String noun() {
            return noun;
        }

        public String function() {
            return function;
        }

        public String title() {
            return title;
        }
    }

    public RunEnded {
        duration = duration == null || duration.isNegative() ? Duration.ZERO : duration;
    }

    /** The time from start to end, or zero when either is unknown (a run that failed before it started). */
    public static Duration between(Instant start, Instant end) {
        return start == null || end == null ? Duration.ZERO : Duration.between(start, end);
    }

    /** Ended as Failed or PartiallyFailed (a location: Unavailable). */
    public boolean failed() {
        return phase.equals("Failed") || phase.equals("PartiallyFailed") || phase.equals("Unavailable");
    }
}
