package io.lifeboat.cluster;

import java.time.Instant;

/** A registered cluster. {@code kubeconfig} is held in clear only in memory: stores seal it. */
public record Cluster(String project, String name, String kubeconfig, String context, String server,
                      ClusterStatus status, Instant createdAt, boolean insecureTls) {

    /** A cluster whose API server's certificate is verified. */
    public Cluster(String project, String name, String kubeconfig, String context, String server, ClusterStatus status,
                   Instant createdAt) {
        this(project, name, kubeconfig, context, server, status, createdAt, false);
    }

    public Cluster withStatus(ClusterStatus newStatus) {
        return new Cluster(project, name, kubeconfig, context, server, newStatus, createdAt, insecureTls);
    }
}
