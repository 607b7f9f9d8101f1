package io.lifeboat.schedule;

import io.lifeboat.retention.Keep;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A backup schedule of one cluster, or of every cluster of a workspace: what each backup takes, when they run ({@code preset} or {@code custom}, in
 * {@code timeZone}), and where it stands: the next slot, the last backup, the last error. Each backup expires
 * {@code retentionDays} after its slot, unless the schedule's retention by count ({@code keep}, see
 * {@code retention.KeptBackups}) keeps it; {@code verifyAfter} has each one's files verified once it has finished.
 */
public record Schedule(String project, String name, String cluster, String workspace, String location, String prefix,
                       boolean includeDisks, Boolean includeClusterResources, List<String> namespaces, int retentionDays,
                       ScheduleSpec.Preset preset, Map<String, Object> custom, String timeZone, boolean paused, Instant nextRunAt,
                       String lastBackup, String lastError, Instant createdAt, Keep keep, boolean verifyAfter) {

    public Schedule {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        custom = custom == null ? null : Map.copyOf(custom);
    }

    /** A schedule without retention by count, whose backups are not verified. */
    public Schedule(String project, String name, String cluster, String workspace, String location, String prefix,
                    boolean includeDisks, Boolean includeClusterResources, List<String> namespaces, int retentionDays,
                    ScheduleSpec.Preset preset, Map<String, Object> custom, String timeZone, boolean paused,
                    Instant nextRunAt, String lastBackup, String lastError, Instant createdAt) {
        this(project, name, cluster, workspace, location, prefix, includeDisks, includeClusterResources, namespaces,
                retentionDays, preset, custom, timeZone, paused, nextRunAt, lastBackup, lastError, createdAt, null, false);
    }

    public ScheduleSpec spec() {
        return preset != null ? ScheduleSpec.preset(preset, timeZone) : ScheduleSpec.custom(custom, timeZone);
    }

    public Schedule withState(boolean paused, Instant nextRunAt, String lastBackup, String lastError) {
        return new Schedule(project, name, cluster, workspace, location, prefix, includeDisks, includeClusterResources, namespaces,
                retentionDays, preset, custom, timeZone, paused, nextRunAt, lastBackup, lastError, createdAt, keep,
                verifyAfter);
    }
}
