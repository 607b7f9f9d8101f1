package io.lifeboat.kube;

import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.cluster.ClusterSessions;

import java.time.Clock;

/** Opens sessions on clusters from their stored kubeconfigs, each kubeconfig checked by {@link Kubeconfigs} first. */
public final class KubeClusterSessions implements ClusterSessions {
    private final KubeClients clients;
    private final long requestTimeoutMillis;
    private final Clock clock;

    public KubeClusterSessions(KubeClients clients, long requestTimeoutMillis, Clock clock) {
        this.clients = clients;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.clock = clock;
    }

    /** Local mode, tests and benchmarks: the system clock. */
    public KubeClusterSessions(KubeClients clients, long requestTimeoutMillis) {
        this(clients, requestTimeoutMillis, Clock.systemUTC());
    }

    @Override
    public ClusterSession open(String kubeconfig, String context) {
        CheckedKubeconfig checked = Kubeconfigs.inspect(kubeconfig, context);
        return new KubeClusterSession(clients.connect(checked), new ClusterSession.KubeconfigTarget(checked.context(),
                checked.server(), checked.insecureSkipTlsVerify()), requestTimeoutMillis, clock);
    }
}
