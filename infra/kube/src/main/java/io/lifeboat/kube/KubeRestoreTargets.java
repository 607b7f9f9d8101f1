package io.lifeboat.kube;

import io.lifeboat.restore.RestoreTarget;
import io.lifeboat.restore.RestoreTargets;

/** Opens clusters to restore into from their stored kubeconfigs. */
public final class KubeRestoreTargets implements RestoreTargets {
    private final KubeClients clients;
    private final long requestTimeoutMillis;

    public KubeRestoreTargets(KubeClients clients, long requestTimeoutMillis) {
        this.clients = clients;
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    @Override
    public RestoreTarget open(String kubeconfig, String context) {
        return new KubeRestoreTarget(clients.connect(kubeconfig, context), requestTimeoutMillis);
    }
}
