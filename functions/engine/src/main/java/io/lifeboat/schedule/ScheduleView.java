package io.lifeboat.schedule;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the API shows of a schedule: its definition, next run, last backup and last error. */
public final class ScheduleView {
    private ScheduleView() {
    }

    public static Map<String, Object> of(Schedule s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", s.name());
        view.put("project", s.project());
        if (s.workspace() != null) {
            view.put("workspace", s.workspace());
        } else {
            view.put("cluster", s.cluster());
        }
        view.put("location", s.location());
        view.put("prefix", s.prefix());
        view.put("includeDisks", s.includeDisks());
        view.put("includeClusterResources", s.includeClusterResources());
        view.put("namespaces", s.namespaces());
        view.put("retentionDays", s.retentionDays());
        Map<String, Object> when = new LinkedHashMap<>();
        if (s.preset() != null) {
            when.put("preset", s.preset());
        } else {
            when.put("custom", s.custom());
        }
        view.put("schedule", when);
        view.put("timeZone", s.timeZone() == null ? "UTC" : s.timeZone());
        view.put("paused", s.paused());
        view.put("nextRunAt", s.nextRunAt() == null ? null : s.nextRunAt().toString());
        view.put("lastBackup", s.lastBackup());
        view.put("lastError", s.lastError());
        view.put("createdAt", s.createdAt().toString());
        return view;
    }
}
