package io.lifeboat.cluster;

/** Reaches clusters through their kubeconfigs. */
public interface ClusterConnector {
    /**
     * Parses a kubeconfig and picks its context (the given one, or the current one). Throws
     * InvalidInputException naming "kubeconfig" or "context" when it cannot be used.
     */
    KubeconfigTarget inspect(String kubeconfig, String context);

    /** Asks the API server for its version; never throws. */
    ClusterStatus check(String kubeconfig, String context);

    /** The context and API server a kubeconfig leads to. */
    /** The context a kubeconfig selects, its server, and whether it turns TLS verification off. */
    record KubeconfigTarget(String context, String server, boolean insecureSkipTlsVerify) {
    }
}
