package io.lifeboat.cluster;

/** The body of {@code POST /v1/projects/{project}/clusters}. */
public record ClusterRequest(String name, String kubeconfig, String context) {
}
