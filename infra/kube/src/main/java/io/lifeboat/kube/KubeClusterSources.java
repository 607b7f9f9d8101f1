package io.lifeboat.kube;

import io.lifeboat.discovery.ClusterSource;
import io.lifeboat.discovery.ClusterSources;

/** Opens clusters for backup from their stored kubeconfigs. */
public final class KubeClusterSources implements ClusterSources {
    private final KubeClients clients;
    private final long requestTimeoutMillis;

    public KubeClusterSources(KubeClients clients, long requestTimeoutMillis) {
        this.clients = clients;
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    @Override
    public ClusterSource open(String kubeconfig, String context) {
        return new KubeClusterSource(clients.connect(kubeconfig, context), requestTimeoutMillis);
    }
}
