package io.lifeboat.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the API shows of a cluster: never the kubeconfig. */
public final class ClusterView {
    private ClusterView() {
    }

    public static Map<String, Object> of(Cluster c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", c.name());
        view.put("project", c.project());
        view.put("context", c.context());
        view.put("server", c.server());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("health", c.status().health().name());
        status.put("kubernetesVersion", c.status().kubernetesVersion());
        status.put("message", c.status().message());
        status.put("checkedAt", c.status().checkedAt() == null ? null : c.status().checkedAt().toString());
        status.put("insecureTls", c.insecureTls());
        view.put("status", status);
        view.put("createdAt", c.createdAt().toString());
        return view;
    }
}
