package io.lifeboat.kube;

import io.lifeboat.cluster.ClusterConnector.KubeconfigTarget;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubeconfigsTest {
    static String kubeconfig(String server, String userBody) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c1
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                contexts:
                - name: ctx-a
                  context: {cluster: c1, user: u1}
                - name: ctx-b
                  context: {cluster: c1, user: u1}
                current-context: ctx-a
                users:
                - name: u1
                  user:
                %s
                """.formatted(server, userBody.indent(4).stripTrailing());
    }

    @Test
    void picksTheCurrentOrTheRequestedContext() {
        String yaml = kubeconfig("https://10.1.2.3:6443", "token: abc");
        assertEquals(new KubeconfigTarget("ctx-a", "https://10.1.2.3:6443"), Kubeconfigs.inspect(yaml, null));
        assertEquals("ctx-b", Kubeconfigs.inspect(yaml, "ctx-b").context());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not yaml           | kubeconfig | '{{{ nope'
            no contexts        | kubeconfig | 'apiVersion: v1\nkind: Config\nclusters: []\n'
            """)
    void unreadableKubeconfigs(String label, String field, String yaml) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Kubeconfigs.inspect(yaml.replace("\\n", "\n"), null));
        assertEquals(field, e.field());
    }

    @Test
    void unknownContextNamesTheContextField() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Kubeconfigs.inspect(kubeconfig("https://h:6443", "token: abc"), "nope"));
        assertEquals("context", e.field());
    }

    @Test
    void pluginsAndFilePathsAreRefused() {
        String exec = "exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws\n  args: [eks, get-token]";
        String provider = "auth-provider:\n  name: gcp";
        String tokenFile = "tokenFile: /var/run/secrets/token";
        String keyFile = "client-key: /etc/key.pem\nclient-certificate: /etc/cert.pem";
        for (String user : new String[]{exec, provider, tokenFile, keyFile}) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> Kubeconfigs.inspect(kubeconfig("https://h:6443", user), null), user);
            assertEquals("kubeconfig", e.field());
        }
        String caFile = kubeconfig("https://h:6443", "token: abc").replace("insecure-skip-tls-verify: true",
                "certificate-authority: /etc/ca.pem");
        assertThrows(InvalidInputException.class, () -> Kubeconfigs.inspect(caFile, null));
    }

    @Test
    void aClosedPortIsUnreachableAndTheTokenIsNotShown() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        KubeconfigClusterConnector connector = new KubeconfigClusterConnector(new KubeClients(1_000, 2_000),
                Clock.systemUTC());
        ClusterStatus status = connector.check(kubeconfig("https://127.0.0.1:" + port, "token: sekrit-token-value"), null);
        assertEquals(ClusterStatus.Health.Unreachable, status.health());
        assertTrue(status.message().startsWith("the API server could not be reached"), status.message());
        assertFalse(status.message().contains("sekrit-token-value"));
    }
}
