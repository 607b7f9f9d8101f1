package io.lifeboat.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Builds fabric8 clients from stored kubeconfigs, with timeouts so that an unreachable cluster fails fast. */
public final class KubeClients {
    private final int connectTimeoutMillis;
    private final int requestTimeoutMillis;

    public KubeClients(int connectTimeoutMillis, int requestTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    public static KubeClients defaults() {
        return new KubeClients(5_000, 30_000);
    }

    public KubernetesClient connect(String kubeconfig, String context) {
        // only what the checks kept reaches the client: a stored kubeconfig never runs a plugin or reads a file
        Config config = Kubeconfigs.inspect(kubeconfig, context).toConfig();
        config.setConnectionTimeout(connectTimeoutMillis);
        config.setRequestTimeout(requestTimeoutMillis);
        config.setRequestRetryBackoffLimit(2);
        config.setRequestRetryBackoffInterval(200);
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
