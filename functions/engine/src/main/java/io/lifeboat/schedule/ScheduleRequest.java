package io.lifeboat.schedule;

import io.lifeboat.retention.Keep;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/projects/{project}/schedules}. {@code keep}: retention by count beside
 * {@code retentionDays}; {@code verifyAfter}: each backup's files are verified once it has finished.
 */
public record ScheduleRequest(String name, String cluster, String workspace, String location, String prefix, Boolean includeDisks,
                              Boolean includeClusterResources, List<String> namespaces, Integer retentionDays,
                              When schedule, String timeZone, Keep keep, Boolean verifyAfter) {

    /** A request without retention by count, whose backups are not verified. */
    public ScheduleRequest(String name, String cluster, String workspace, String location, String prefix,
                           Boolean includeDisks, Boolean includeClusterResources, List<String> namespaces,
                           Integer retentionDays, When schedule, String timeZone) {
        this(name, cluster, workspace, location, prefix, includeDisks, includeClusterResources, namespaces,
                retentionDays, schedule, timeZone, null, null);
    }

    /** {@code {"preset": "weekly"}} or {@code {"custom": {"month", "dayOfMonth", "dayOfWeek", "hour", "minute"}}}. */
    public record When(String preset, Map<String, Object> custom) {
    }
}
