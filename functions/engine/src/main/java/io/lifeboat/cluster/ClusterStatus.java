package io.lifeboat.cluster;

import java.time.Instant;

/** The latest health check of a cluster's API server. */
public record ClusterStatus(Health health, String kubernetesVersion, String message, Instant checkedAt) {

    public enum Health { Unknown, Healthy, Unreachable }

    public static ClusterStatus unknown() {
        return new ClusterStatus(Health.Unknown, null, "not checked yet", null);
    }
}
