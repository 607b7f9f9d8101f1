package io.lifeboat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clusters through the API: registered from kubeconfigs that are checked, stored sealed, and never shown again. */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class ClusterApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static SandboxCluster sandbox;

    @BeforeAll
    static void start() {
        sandbox = SandboxCluster.builder().name("prod").start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void aRegisteredClusterIsHealthyAndItsKubeconfigNeverComesBack() {
        LogCapture logs = LogCapture.install();
        String created;
        String listed;
        String shown;
        try {
            created = given().contentType(ContentType.JSON).body(ApiFixtures.clusterBody("prod", sandbox.kubeconfigYaml()))
                    .post("/v1/projects/fleet/clusters").then().statusCode(201)
                    .body("status.health", equalTo("Healthy"))
                    .body("status.kubernetesVersion", startsWith("v1.32"))
                    .body("spec.context", equalTo("prod"))
                    .body("spec.server", equalTo(sandbox.url())).extract().asString();
            listed = given().get("/v1/projects/fleet/clusters").then().statusCode(200).body("items", hasSize(1))
                    .extract().asString();
            shown = given().post("/v1/projects/fleet/clusters/prod/check").then().statusCode(200)
                    .body("status.health", equalTo("Healthy")).extract().asString();
        } finally {
            logs.uninstall();
        }
        for (String answer : new String[]{created, listed, shown}) {
            assertFalse(answer.contains(sandbox.token()), answer);
            assertFalse(answer.contains("kubeconfig"), answer);
        }
        assertTrue(logs.lines().stream().noneMatch(line -> line.contains(sandbox.token())));

        given().contentType(ContentType.JSON).body(ApiFixtures.clusterBody("prod", sandbox.kubeconfigYaml())).post("/v1/projects/fleet/clusters")
                .then().statusCode(409).body("error.field", equalTo("name"));
        given().delete("/v1/projects/fleet/clusters/prod").then().statusCode(204);
        given().get("/v1/projects/fleet/clusters/prod").then().statusCode(404).body("error.code", equalTo("NotFound"));
    }

    @Test
    void anUnreachableServerIsRegisteredAsUnreachable() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String kubeconfig = sandbox.kubeconfigYaml().replace(sandbox.url(), "https://127.0.0.1:" + closed);
        given().contentType(ContentType.JSON).body(ApiFixtures.clusterBody("gone", kubeconfig)).post("/v1/projects/fleet-b/clusters")
                .then().statusCode(201).body("status.health", equalTo("Unreachable"))
                .body("status.message", startsWith("the API server could not be reached"));
    }

    /** Each bad registration names its field and stores nothing. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing kubeconfig  | kubeconfig | '{"name":"c1"}'
            not yaml            | kubeconfig | '{"name":"c1","kubeconfig":"{{{ not yaml"}'
            no contexts         | kubeconfig | '{"name":"c1","kubeconfig":"apiVersion: v1\\nkind: Config\\n"}'
            bad name            | name       | '{"name":"C_1","kubeconfig":"x"}'
            unknown field       | token      | '{"name":"c1","kubeconfig":"x","token":"t"}'
            """)
    void badRegistrations(String label, String field, String body) {
        given().contentType(ContentType.JSON).body(body).post("/v1/projects/fleet-c/clusters")
                .then().statusCode(400).body("error.field", equalTo(field));
        given().get("/v1/projects/fleet-c/clusters").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void unsafeKubeconfigsAreRefused() {
        String yaml = sandbox.kubeconfigYaml();
        String unknownContext = JSON.createObjectNode().put("name", "c2").put("kubeconfig", yaml).put("allowInsecureTls", true).put("context", "nope").toString();
        given().contentType(ContentType.JSON).body(unknownContext).post("/v1/projects/fleet-d/clusters")
                .then().statusCode(400).body("error.field", equalTo("context"));
        String exec = yaml.replaceAll("token: .*", "exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: sh\n      args: [\"-c\", \"id\"]");
        given().contentType(ContentType.JSON).body(ApiFixtures.clusterBody("c3", exec)).post("/v1/projects/fleet-d/clusters")
                .then().statusCode(400).body("error.field", equalTo("kubeconfig.users[0].user.exec"))
                .body("error.message", org.hamcrest.Matchers.containsString("runs a program"));
        String metadata = yaml.replace(sandbox.url(), "https://169.254.169.254");
        given().contentType(ContentType.JSON).body(ApiFixtures.clusterBody("c4", metadata)).post("/v1/projects/fleet-d/clusters")
                .then().statusCode(400).body("error.field", equalTo("kubeconfig"))
                .body("error.message", org.hamcrest.Matchers.containsString("metadata"));
        given().get("/v1/projects/fleet-d/clusters").then().statusCode(200).body("items", hasSize(0));
    }

    /**
     * The attack that once ran a command as the API's process: a second user of the same name carrying an exec
     * plugin. It is refused with the field named, and the command never runs.
     */
    @Test
    void aDuplicateUserWithAnExecPluginIsRefusedAndTheCommandNeverRuns() throws Exception {
        java.nio.file.Path marker = java.nio.file.Files.createTempDirectory("lifeboat-exec").resolve("ran");
        String yaml = sandbox.kubeconfigYaml().replace("contexts:", """
                - name: prod-admin
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1beta1
                      command: sh
                      args: ["-c", "id > %s"]
                contexts:""".formatted(marker));
        given().contentType(ContentType.JSON).body(ApiFixtures.clusterBody("twin", yaml)).post("/v1/projects/fleet-e/clusters")
                .then().statusCode(400).body("error.field", equalTo("kubeconfig.users[1].name"));
        assertFalse(java.nio.file.Files.exists(marker), "the attacker's command ran");
        given().get("/v1/projects/fleet-e/clusters").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void aProxyIsRefused() {
        for (String proxy : new String[]{"http://127.0.0.1:3128", "socks5://127.0.0.1:1080"}) {
            String yaml = sandbox.kubeconfigYaml().replace("insecure-skip-tls-verify: true",
                    "insecure-skip-tls-verify: true\n    proxy-url: " + proxy);
            given().contentType(ContentType.JSON).body(ApiFixtures.clusterBody("proxied", yaml)).post("/v1/projects/fleet-e/clusters")
                    .then().statusCode(400).body("error.field", equalTo("kubeconfig.clusters[0].cluster.proxy-url"));
        }
    }

    /** Turning TLS verification off is an explicit choice, and it shows. */
    @Test
    void insecureTlsNeedsAnExplicitAllowAndShowsInTheStatus() {
        String without = JSON.createObjectNode().put("name", "insecure").put("kubeconfig", sandbox.kubeconfigYaml()).toString();
        given().contentType(ContentType.JSON).body(without).post("/v1/projects/fleet-f/clusters")
                .then().statusCode(400).body("error.field", equalTo("allowInsecureTls"));
        given().get("/v1/projects/fleet-f/clusters").then().statusCode(200).body("items", hasSize(0));
        given().contentType(ContentType.JSON).body(ApiFixtures.clusterBody("insecure", sandbox.kubeconfigYaml())).post("/v1/projects/fleet-f/clusters")
                .then().statusCode(201).body("status.insecureTls", equalTo(true));
        given().get("/v1/projects/fleet-f/clusters/insecure").then().statusCode(200).body("status.insecureTls", equalTo(true));
    }

    /** The classes a restore may map to, read from the cluster; an unknown cluster is 404, an unreadable one 409. */
    @Test
    void aClustersStorageClassesAreListedFromTheCluster() throws Exception {
        SandboxCluster classes = SandboxCluster.builder().name("classes").start();
        try {
            classes.client().storage().v1().storageClasses().resource(new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder()
                    .withNewMetadata().withName("standard")
                    .withAnnotations(java.util.Map.of("storageclass.kubernetes.io/is-default-class", "true")).endMetadata()
                    .withProvisioner("ebs.csi.aws.com").build()).create();
            classes.client().storage().v1().storageClasses().resource(new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder()
                    .withNewMetadata().withName("fast").endMetadata().withProvisioner("ebs.csi.aws.com").build()).create();
            given().contentType(ContentType.JSON).body(ApiFixtures.clusterBody("classes", classes.kubeconfigYaml()))
                    .post("/v1/projects/storage/clusters").then().statusCode(201);
            given().get("/v1/projects/storage/clusters/classes/storageclasses").then().statusCode(200)
                    .body("items.name", org.hamcrest.Matchers.contains("fast", "standard"))
                    .body("items[1].provisioner", equalTo("ebs.csi.aws.com"))
                    .body("items[1].default", equalTo(true))
                    .body("items[0].default", equalTo(false))
                    .body("nextToken", org.hamcrest.Matchers.nullValue());
            given().get("/v1/projects/storage/clusters/nope/storageclasses").then().statusCode(404);
        } finally {
            classes.close();
        }
        given().get("/v1/projects/storage/clusters/classes/storageclasses").then().statusCode(409)
                .body("error.code", equalTo("Conflict"))
                .body("error.message", startsWith("cluster classes: storage classes could not be read"));
    }
}
