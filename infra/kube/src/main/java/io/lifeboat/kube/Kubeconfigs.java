package io.lifeboat.kube;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.lifeboat.cluster.ClusterConnector.KubeconfigTarget;
import io.lifeboat.error.InvalidInputException;

import java.util.Objects;

/**
 * Reads a kubeconfig a user uploaded and refuses what a shared backup service must not do on their behalf: run
 * programs (exec and auth-provider plugins) or read files of the machine it runs on (paths instead of inline data).
 */
public final class Kubeconfigs {
    private Kubeconfigs() {
    }

    public static KubeconfigTarget inspect(String yaml, String requestedContext) {
        Config config;
        try {
            config = KubeConfigUtils.parseConfigFromString(yaml);
        } catch (RuntimeException e) {
            throw new InvalidInputException("kubeconfig", "is not a readable kubeconfig (YAML with clusters, users and contexts)");
        }
        if (config == null || config.getContexts() == null || config.getContexts().isEmpty()) {
            throw new InvalidInputException("kubeconfig", "names no context");
        }
        String contextName = requestedContext != null ? requestedContext : config.getCurrentContext();
        if (contextName == null || contextName.isEmpty()) {
            throw new InvalidInputException("context", "is required: the kubeconfig has no current-context");
        }
        NamedContext context = config.getContexts().stream().filter(c -> contextName.equals(c.getName())).findFirst()
                .orElseThrow(() -> new InvalidInputException(requestedContext != null ? "context" : "kubeconfig",
                        "context '" + contextName + "' is not in the kubeconfig"));
        if (context.getContext() == null || context.getContext().getCluster() == null) {
            throw new InvalidInputException("kubeconfig", "context '" + contextName + "' names no cluster");
        }
        Cluster cluster = config.getClusters() == null ? null : config.getClusters().stream()
                .filter(c -> Objects.equals(c.getName(), context.getContext().getCluster()))
                .map(NamedCluster::getCluster).findFirst().orElse(null);
        if (cluster == null || cluster.getServer() == null || cluster.getServer().isBlank()) {
            throw new InvalidInputException("kubeconfig", "cluster '" + context.getContext().getCluster()
                    + "' of context '" + contextName + "' has no server");
        }
        if (cluster.getCertificateAuthority() != null) {
            throw new InvalidInputException("kubeconfig", "certificate-authority must be inline "
                    + "(certificate-authority-data), not a file path");
        }
        if (context.getContext().getUser() != null && config.getUsers() != null) {
            config.getUsers().stream().filter(u -> Objects.equals(u.getName(), context.getContext().getUser()))
                    .map(NamedAuthInfo::getUser).filter(Objects::nonNull).findFirst()
                    .ifPresent(Kubeconfigs::refuseUnsafeUser);
        }
        return new KubeconfigTarget(contextName, cluster.getServer());
    }

    private static void refuseUnsafeUser(AuthInfo user) {
        if (user.getExec() != null) {
            throw new InvalidInputException("kubeconfig", "exec credential plugins are not allowed: use a "
                    + "service-account token or a client certificate");
        }
        if (user.getAuthProvider() != null) {
            throw new InvalidInputException("kubeconfig", "auth-provider plugins are not allowed: use a "
                    + "service-account token or a client certificate");
        }
        if (user.getClientCertificate() != null || user.getClientKey() != null || user.getTokenFile() != null) {
            throw new InvalidInputException("kubeconfig", "credentials must be inline (token, "
                    + "client-certificate-data, client-key-data), not file paths");
        }
    }
}
