package io.lifeboat.discovery;

/** Opens a cluster for reading, from its stored kubeconfig. */
public interface ClusterSources {
    ClusterSource open(String kubeconfig, String context);
}
