package io.lifeboat.cluster;

/**
 * Opens a session on a cluster from its stored kubeconfig (and context, or the kubeconfig's current one). Throws
 * InvalidInputException naming "kubeconfig" or "context" when the kubeconfig cannot be used; reaches nothing yet.
 */
public interface ClusterSessions {
    ClusterSession open(String kubeconfig, String context);
}
