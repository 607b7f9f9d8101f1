package io.lifeboat.cluster;

/**
 * The body of {@code POST /v1/projects/{project}/clusters}. {@code allowInsecureTls} must be true for a kubeconfig
 * that turns TLS verification off ({@code insecure-skip-tls-verify}): an explicit choice, shown in the cluster's status.
 */
public record ClusterRequest(String name, String kubeconfig, String context, Boolean allowInsecureTls) {
    public ClusterRequest(String name, String kubeconfig, String context) {
        this(name, kubeconfig, context, null);
    }
}
