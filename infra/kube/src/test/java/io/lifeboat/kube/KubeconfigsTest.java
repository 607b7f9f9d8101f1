package io.lifeboat.kube;

import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
        CheckedKubeconfig checked = Kubeconfigs.inspect(yaml, null);
        assertEquals("ctx-a", checked.context());
        assertEquals("https://10.1.2.3:6443", checked.server());
        assertEquals("abc", checked.token());
        assertTrue(checked.insecureSkipTlsVerify());
        assertFalse(checked.toString().contains("abc"), "never the credentials");
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            exec plugin        | exec:\\n  apiVersion: client.authentication.k8s.io/v1beta1\\n  command: aws | kubeconfig.users[0].user.exec
            auth-provider      | auth-provider:\\n  name: gcp                                          | kubeconfig.users[0].user.auth-provider
            token file         | tokenFile: /var/run/secrets/token                                     | kubeconfig.users[0].user.tokenFile
            key file           | client-key: /etc/key.pem                                              | kubeconfig.users[0].user.client-key
            certificate file   | client-certificate: /etc/cert.pem                                     | kubeconfig.users[0].user.client-certificate
            basic auth         | username: admin\\npassword: admin                                      | kubeconfig.users[0].user.username
            impersonation      | token: abc\\nas: system:admin                                          | kubeconfig.users[0].user.as
            unknown field      | token: abc\\nfoo: bar                                                  | kubeconfig.users[0].user.foo
            token not a string | token: [a, b]                                                         | kubeconfig.users[0].user.token
            """)
    void pluginsFilePathsAndUnknownUserFieldsAreRefusedByName(String label, String user, String field) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Kubeconfigs.inspect(kubeconfig("https://h:6443", user.replace("\\n", "\n")), null), label);
        assertEquals(field, e.field(), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            CA file            | certificate-authority: /etc/ca.pem  | kubeconfig.clusters[0].cluster.certificate-authority
            http proxy         | proxy-url: http://127.0.0.1:3128    | kubeconfig.clusters[0].cluster.proxy-url
            socks proxy        | proxy-url: socks5://127.0.0.1:1080  | kubeconfig.clusters[0].cluster.proxy-url
            tls server name    | tls-server-name: other.example      | kubeconfig.clusters[0].cluster.tls-server-name
            insecure not bool  | insecure-skip-tls-verify: 'yes'     | kubeconfig
            """)
    void refusedClusterFieldsAreNamed(String label, String line, String field) {
        String yaml = kubeconfig("https://h:6443", "token: abc").replace("insecure-skip-tls-verify: true", line);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Kubeconfigs.inspect(yaml, null), label);
        assertEquals(field, e.field(), e.getMessage());
    }

    /**
     * The attack that ran a command: two users of one name, the first with a token (what a checker reading the first
     * entry sees), the second with an exec plugin (what fabric8 keeps). Refused, and the command never runs: neither
     * when registering, nor when a stored kubeconfig is opened to check health or back up.
     */
    @Test
    void aSecondUserOfTheSameNameWithAnExecPluginIsRefusedAndNeverRuns() throws Exception {
        Path marker = Files.createTempDirectory("lifeboat-exec").resolve("ran");
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c1
                  cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
                contexts:
                - name: ctx
                  context: {cluster: c1, user: u1}
                current-context: ctx
                users:
                - name: u1
                  user: {token: innocent}
                - name: u1
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1beta1
                      command: sh
                      args: ["-c", "id > %s"]
                """.formatted(marker);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Kubeconfigs.inspect(yaml, null));
        assertEquals("kubeconfig.users[1].name", e.field());
        assertThrows(InvalidInputException.class, () -> new KubeClients(500, 500).connect(yaml, null));
        assertThrows(InvalidInputException.class,
                () -> new KubeClusterSessions(new KubeClients(500, 500), 500, Clock.systemUTC()).open(yaml, null));
        assertFalse(Files.exists(marker), "the exec plugin ran");
    }

    @Test
    void aSecondClusterOrContextOfTheSameNameIsRefused() {
        String clusters = kubeconfig("https://h:6443", "token: abc").replace("contexts:",
                "- name: c1\n  cluster:\n    server: https://elsewhere:6443\ncontexts:");
        assertEquals("kubeconfig.clusters[1].name",
                assertThrows(InvalidInputException.class, () -> Kubeconfigs.inspect(clusters, null)).field());
        String contexts = kubeconfig("https://h:6443", "token: abc").replace("current-context:",
                "- name: ctx-a\n  context: {cluster: c1, user: u1}\ncurrent-context:");
        assertEquals("kubeconfig.contexts[2].name",
                assertThrows(InvalidInputException.class, () -> Kubeconfigs.inspect(contexts, null)).field());
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        String yaml = kubeconfig("https://h:6443", "token: abc\ntoken: other");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Kubeconfigs.inspect(yaml, null));
        assertEquals("kubeconfig", e.field());
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void aliasBombsAreRefused() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'p'; c++) {
            char p = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *")
                    .append(p).append(", *").append(p).append("]\n");
        }
        // refused (the aliases are never expanded into 4^15 lists), as a kubeconfig field
        assertTrue(assertThrows(InvalidInputException.class, () -> Kubeconfigs.inspect(yaml.toString(), null)).field()
                .startsWith("kubeconfig"));
    }

    /** The client is made from the checked fields alone: nothing from the machine's environment or files. */
    @Test
    void theClientConfigurationHoldsOnlyTheCheckedFields() {
        io.fabric8.kubernetes.client.Config config = Kubeconfigs.inspect(
                kubeconfig("https://10.1.2.3:6443", "token: abc"), null).toConfig();
        assertTrue(config.getMasterUrl().startsWith("https://10.1.2.3:6443"), config.getMasterUrl());
        assertEquals("abc", config.getOauthToken());
        assertNull(config.getHttpsProxy());
        assertNull(config.getHttpProxy());
        assertNull(config.getAuthProvider());
        assertNull(config.getCaCertFile());
        assertNull(config.getClientKeyFile());
    }

    @Test
    void aClosedPortIsUnreachableAndTheTokenIsNotShown() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ClusterStatus status;
        try (var session = new KubeClusterSessions(new KubeClients(1_000, 2_000), 2_000, Clock.systemUTC())
                .open(kubeconfig("https://127.0.0.1:" + port, "token: sekrit-token-value"), null)) {
            status = session.health();
        }
        assertEquals(ClusterStatus.Health.Unreachable, status.health());
        assertTrue(status.message().startsWith("the API server could not be reached"), status.message());
        assertFalse(status.message().contains("sekrit-token-value"));
    }
}
