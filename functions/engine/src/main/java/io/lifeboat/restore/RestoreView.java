package io.lifeboat.restore;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the API shows of a restore. */
public final class RestoreView {
    private RestoreView() {
    }

    public static Map<String, Object> of(Restore r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", r.name());
        view.put("project", r.project());
        view.put("backup", r.backup());
        view.put("targetCluster", r.targetCluster());
        view.put("options", r.request());
        view.put("phase", r.phase().name());
        view.put("progress", Map.of("itemsRestored", r.progress().itemsRestored(), "totalItems", r.progress().totalItems()));
        view.put("counts", r.counts());
        view.put("createdAt", r.createdAt().toString());
        view.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
        view.put("completedAt", r.completedAt() == null ? null : r.completedAt().toString());
        view.put("warnings", r.warnings());
        view.put("errors", r.errors());
        view.put("results", r.results());
        return view;
    }
}
