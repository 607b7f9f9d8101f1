package io.lifeboat.discovery;

import java.util.Set;

/** One listable resource type as discovery reports it, at one version of its group ("" is the core group). */
public record ResourceType(String group, String version, String resource, String kind, boolean namespaced,
                           Set<String> verbs) {

    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code configmaps} or {@code deployments.apps}: Velero's name for the type, and its folder in the tarball. */
    public String groupResource() {
        return group.isEmpty() ? resource : resource + "." + group;
    }

    /** The key of the resource list: {@code v1/ConfigMap}, {@code apps/v1/Deployment}. */
    public String resourceListKey() {
        return groupVersion() + "/" + kind;
    }
}
