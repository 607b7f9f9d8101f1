package io.lifeboat.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.lifeboat.input.OutboundPolicy;

/** Builds fabric8 clients from stored kubeconfigs, with timeouts so that an unreachable cluster fails fast. */
public final class KubeClients {
    private final int connectTimeoutMillis;
    private final int requestTimeoutMillis;
    private final HttpClient.Factory http;

    /** Connects only to addresses {@code outbound} allows (see {@link CheckedKubeHttp}). */
    public KubeClients(int connectTimeoutMillis, int requestTimeoutMillis, OutboundPolicy outbound) {
        this(connectTimeoutMillis, requestTimeoutMillis, CheckedKubeHttp.factory(outbound));
    }

    KubeClients(int connectTimeoutMillis, int requestTimeoutMillis, HttpClient.Factory http) {
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.http = http;
    }

    /** Local mode, tests and benchmarks: loopback allowed. */
    public KubeClients(int connectTimeoutMillis, int requestTimeoutMillis) {
        this(connectTimeoutMillis, requestTimeoutMillis, OutboundPolicy.localMode());
    }

    public static KubeClients defaults(OutboundPolicy outbound) {
        return new KubeClients(5_000, 30_000, outbound);
    }

    /** Local mode, tests and benchmarks: loopback allowed. */
    public static KubeClients defaults() {
        return defaults(OutboundPolicy.localMode());
    }

    public KubernetesClient connect(String kubeconfig, String context) {
        return connect(Kubeconfigs.inspect(kubeconfig, context));
    }

    /** A client made from the checked fields alone. */
    public KubernetesClient connect(CheckedKubeconfig kubeconfig) {
        // only what the checks kept reaches the client: a stored kubeconfig never runs a plugin or reads a file
        Config config = kubeconfig.toConfig();
        config.setConnectionTimeout(connectTimeoutMillis);
        config.setRequestTimeout(requestTimeoutMillis);
        config.setRequestRetryBackoffLimit(2);
        config.setRequestRetryBackoffInterval(200);
        return new KubernetesClientBuilder().withHttpClientFactory(http).withConfig(config).build();
    }
}
