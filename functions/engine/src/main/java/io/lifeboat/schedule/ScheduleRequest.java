package io.lifeboat.schedule;

import java.util.List;
import java.util.Map;

/** The body of {@code POST /v1/projects/{project}/schedules}. */
public record ScheduleRequest(String name, String cluster, String workspace, String location, String prefix, Boolean includeDisks,
                              Boolean includeClusterResources, List<String> namespaces, Integer retentionDays,
                              When schedule, String timeZone) {

    /** {@code {"preset": "weekly"}} or {@code {"custom": {"month", "dayOfMonth", "dayOfWeek", "hour", "minute"}}}. */
    public record When(String preset, Map<String, Object> custom) {
    }
}
