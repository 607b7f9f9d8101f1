package io.lifeboat.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A backup schedule of one cluster, or of every cluster of a workspace: what each backup takes, when they run ({@code preset} or {@code custom}, in
 * {@code timeZone}), and where it stands: the next slot, the last backup, the last error.
 */
public record Schedule(String project, String name, String cluster, String workspace, String location, String prefix,
                       boolean includeDisks, Boolean includeClusterResources, List<String> namespaces, int retentionDays,
                       ScheduleSpec.Preset preset, Map<String, Object> custom, String timeZone, boolean paused, Instant nextRunAt,
                       String lastBackup, String lastError, Instant createdAt) {

    public Schedule {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        custom = custom == null ? null : Map.copyOf(custom);
    }

    public ScheduleSpec spec() {
        return preset != null ? ScheduleSpec.preset(preset, timeZone) : ScheduleSpec.custom(custom, timeZone);
    }

    public Schedule withState(boolean paused, Instant nextRunAt, String lastBackup, String lastError) {
        return new Schedule(project, name, cluster, workspace, location, prefix, includeDisks, includeClusterResources, namespaces,
                retentionDays, preset, custom, timeZone, paused, nextRunAt, lastBackup, lastError, createdAt);
    }
}
