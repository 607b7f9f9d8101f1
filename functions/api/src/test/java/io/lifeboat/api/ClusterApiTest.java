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

    static String body(String name, String kubeconfig) {
        return JSON.createObjectNode().put("name", name).put("kubeconfig", kubeconfig).toString();
    }

    @Test
    void aRegisteredClusterIsHealthyAndItsKubeconfigNeverComesBack() {
        LogCapture logs = LogCapture.install();
        String created;
        String listed;
        String shown;
        try {
            created = given().contentType(ContentType.JSON).body(body("prod", sandbox.kubeconfigYaml()))
                    .post("/v1/projects/fleet/clusters").then().statusCode(201)
                    .body("status.health", equalTo("Healthy"))
                    .body("status.kubernetesVersion", startsWith("v1.32"))
                    .body("context", equalTo("prod"))
                    .body("server", equalTo(sandbox.url())).extract().asString();
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

        given().contentType(ContentType.JSON).body(body("prod", sandbox.kubeconfigYaml())).post("/v1/projects/fleet/clusters")
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
        given().contentType(ContentType.JSON).body(body("gone", kubeconfig)).post("/v1/projects/fleet-b/clusters")
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
        String unknownContext = JSON.createObjectNode().put("name", "c2").put("kubeconfig", yaml).put("context", "nope").toString();
        given().contentType(ContentType.JSON).body(unknownContext).post("/v1/projects/fleet-d/clusters")
                .then().statusCode(400).body("error.field", equalTo("context"));
        String exec = yaml.replaceAll("token: .*", "exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: sh\n      args: [\"-c\", \"id\"]");
        given().contentType(ContentType.JSON).body(body("c3", exec)).post("/v1/projects/fleet-d/clusters")
                .then().statusCode(400).body("error.field", equalTo("kubeconfig"))
                .body("error.message", org.hamcrest.Matchers.containsString("exec"));
        String metadata = yaml.replace(sandbox.url(), "https://169.254.169.254");
        given().contentType(ContentType.JSON).body(body("c4", metadata)).post("/v1/projects/fleet-d/clusters")
                .then().statusCode(400).body("error.field", equalTo("kubeconfig"))
                .body("error.message", org.hamcrest.Matchers.containsString("metadata"));
        given().get("/v1/projects/fleet-d/clusters").then().statusCode(200).body("items", hasSize(0));
    }
}
