package io.lifeboat.kube;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.lifeboat.cluster.ClusterConnector;
import io.lifeboat.cluster.ClusterStatus;

import java.time.Clock;

/** Reaches clusters through fabric8 clients built from their kubeconfigs. */
public final class KubeconfigClusterConnector implements ClusterConnector {
    private final KubeClients clients;
    private final Clock clock;

    public KubeconfigClusterConnector(KubeClients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public KubeconfigTarget inspect(String kubeconfig, String context) {
        CheckedKubeconfig checked = Kubeconfigs.inspect(kubeconfig, context);
        return new KubeconfigTarget(checked.context(), checked.server(), checked.insecureSkipTlsVerify());
    }

    @Override
    public ClusterStatus check(String kubeconfig, String context) {
        String contextName = Kubeconfigs.inspect(kubeconfig, context).context();
        try (KubernetesClient client = clients.connect(kubeconfig, contextName)) {
            VersionInfo version = client.getKubernetesVersion();
            // /version answers anyone; listing one namespace proves the credentials, and a backup needs that right
            client.namespaces().list(new ListOptionsBuilder().withLimit(1L).build());
            return new ClusterStatus(ClusterStatus.Health.Healthy, version.getGitVersion(),
                    "the API server answered and accepted the credentials", clock.instant());
        } catch (KubernetesClientException e) {
            // an answer is named by its status and reason code only: its body is the remote's, never echoed
            String reason = e.getCode() == 401 || e.getCode() == 403
                    ? "the API server refused the kubeconfig's credentials (HTTP " + e.getCode() + ")"
                    : e.getCode() > 0 ? "the API server answered HTTP " + e.getCode()
                    + (e.getStatus() != null && e.getStatus().getReason() != null
                    && e.getStatus().getReason().matches("[A-Za-z]{1,40}") ? " (" + e.getStatus().getReason() + ")" : "")
                    : "the API server could not be reached: " + rootMessage(e);
            return new ClusterStatus(ClusterStatus.Health.Unreachable, null, reason, clock.instant());
        } catch (RuntimeException e) {
            return new ClusterStatus(ClusterStatus.Health.Unreachable, null,
                    "the API server could not be reached: " + rootMessage(e), clock.instant());
        }
    }

    /** The innermost cause names the real problem (unknown host, refused connection, certificate). */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
