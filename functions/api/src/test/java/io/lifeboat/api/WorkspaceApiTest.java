package io.lifeboat.api;

import io.lifeboat.sandbox.kube.SampleApp;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A workspace of two sandbox clusters, backed up and restored into two empty ones. */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class WorkspaceApiTest {
    static final List<SandboxCluster> clusters = new ArrayList<>();
    static boolean registered;

    @BeforeAll
    static void start() {
        for (String name : List.of("east", "west", "east-2", "west-2")) {
            SandboxCluster cluster = SandboxCluster.builder().name(name).start();
            if (!name.endsWith("-2")) {
                SampleApp.install(cluster.client());
            }
            clusters.add(cluster);
        }
    }

    @AfterAll
    static void stop() {
        clusters.forEach(SandboxCluster::close);
    }

    @BeforeEach
    void register() {
        if (registered) {
            return;
        }
        registered = true;
        ApiFixtures.addLocalLocation("ws", "store", "fleet");
        for (SandboxCluster cluster : clusters) {
            ApiFixtures.addCluster("ws", cluster.name(), cluster.kubeconfigYaml());
        }
    }

    @Test
    void aWorkspaceIsBackedUpAndRestoredIntoTwoEmptyClusters() throws Exception {
        given().contentType(ContentType.JSON).body("{\"name\":\"prod\",\"clusters\":[\"east\",\"west\"]}")
                .post("/v1/projects/ws/workspaces").then().statusCode(201).body("spec.clusters", equalTo(List.of("east", "west")));
        given().contentType(ContentType.JSON).body("{\"name\":\"nightly\",\"location\":\"store\"}")
                .post("/v1/projects/ws/workspaces/prod/backups").then().statusCode(202)
                .body("status.children.backup", equalTo(List.of("nightly-east", "nightly-west")));
        ApiRecord backup = ApiRecord.awaitPhase("/v1/projects/ws/workspaces/prod/backups/nightly");
        assertEquals("Completed", backup.phase(), backup.toString());
        assertEquals("store", backup.spec("location"));
        assertEquals(false, backup.spec("includeDisks"));
        assertNotNull(backup.spec("expiresAt"), "the default expiry its children got");
        awaitCompletedAt("/v1/projects/ws/workspaces/prod/backups/nightly");

        given().delete("/v1/projects/ws/workspaces/prod").then().statusCode(204);
        given().get("/v1/projects/ws/workspaces/prod/backups/nightly").then().statusCode(200)
                .body("status.phase", equalTo("Completed")); // a workspace backup outlives its workspace

        given().contentType(ContentType.JSON).body("""
                {"name":"rebuild","workspaceBackup":"nightly","clusterMapping":{"east":"east-2","west":"west-2"}}""")
                .post("/v1/projects/ws/workspaces/prod/restores").then().statusCode(202)
                .body("status.children.cluster", equalTo(List.of("east-2", "west-2")));
        ApiRecord restore = ApiRecord.awaitPhase("/v1/projects/ws/workspaces/prod/restores/rebuild");
        assertEquals("Completed", restore.phase(), restore.toString());
        assertEquals(java.util.Map.of("east", "east-2", "west", "west-2"), restore.spec("clusterMapping"));
        assertEquals("nightly", restore.spec("workspaceBackup"));
        assertEquals("none", restore.spec("existingResourcePolicy"));

        given().contentType(ContentType.JSON).body("""
                {"name":"bad","workspaceBackup":"nightly","existingResourcePolicy":"clobber"}""")
                .post("/v1/projects/ws/workspaces/prod/restores").then().statusCode(400)
                .body("error.field", equalTo("existingResourcePolicy"));
        given().get("/v1/projects/ws/workspaces/prod/restores/bad").then().statusCode(404);
        given().get("/v1/projects/ws/restores").then().statusCode(200)
                .body("items.name", not(hasItem("bad-east-2")));
        for (SandboxCluster target : clusters.subList(2, 4)) {
            assertNotNull(target.client().apps().deployments().inNamespace(SampleApp.NAMESPACE).withName("web").get(),
                    target.name());
            given().get("/v1/projects/ws/restores?cluster=" + target.name()).then().statusCode(200)
                    .body("items.name", hasItem("rebuild-" + target.name()));
        }
    }

    /** The run's end is recorded just after its last child's record is final. */
    static void awaitCompletedAt(String path) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (ApiRecord.get(path).status("completedAt") != null) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no completedAt on " + path);
    }

    @Test
    void anUnreachableMemberIsSkippedAndReported() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        SandboxCluster east = clusters.get(0);
        String gone = east.kubeconfigYaml().replace(east.url(), "https://127.0.0.1:" + closed);
        ApiFixtures.addCluster("ws", "gone", gone);
        given().contentType(ContentType.JSON).body("{\"name\":\"mixed\",\"clusters\":[\"east\",\"gone\"],\"namespaces\":[\"demo\"]}")
                .post("/v1/projects/ws/workspaces").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"name\":\"partial\",\"location\":\"store\"}")
                .post("/v1/projects/ws/workspaces/mixed/backups").then().statusCode(202);
        ApiRecord run = ApiRecord.awaitPhase("/v1/projects/ws/workspaces/mixed/backups/partial");
        assertEquals("PartiallyFailed", run.phase(), run.toString());
        assertTrue(run.status("children").toString().contains("Unreachable"), run.toString());

        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"clusters\":[\"nope\"]}")
                .post("/v1/projects/ws/workspaces").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"clusters\":[]}")
                .post("/v1/projects/ws/workspaces").then().statusCode(400).body("error.field", equalTo("clusters"));
        given().contentType(ContentType.JSON).body("{\"cluster\":\"west\"}")
                .post("/v1/projects/ws/workspaces/mixed/clusters").then().statusCode(200)
                .body("spec.clusters", equalTo(List.of("east", "gone", "west")));
        given().delete("/v1/projects/ws/workspaces/mixed/clusters/gone").then().statusCode(200)
                .body("spec.clusters", equalTo(List.of("east", "west")));
    }

    /** A run is found only through its own workspace's path; another workspace's path answers 404. */
    @Test
    void theWorkspaceInThePathIsHonoured() throws Exception {
        given().contentType(ContentType.JSON).body("{\"name\":\"team-a\",\"clusters\":[\"east\"],\"namespaces\":[\"demo\"]}")
                .post("/v1/projects/ws/workspaces").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"name\":\"team-b\",\"clusters\":[\"west\"],\"namespaces\":[\"demo\"]}")
                .post("/v1/projects/ws/workspaces").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"name\":\"b-nightly\",\"location\":\"store\"}")
                .post("/v1/projects/ws/workspaces/team-b/backups").then().statusCode(202);
        assertEquals("Completed", ApiRecord.awaitPhase("/v1/projects/ws/workspaces/team-b/backups/b-nightly").phase());

        given().get("/v1/projects/ws/workspaces/team-a/backups/b-nightly").then().statusCode(404)
                .body("error.code", equalTo("NotFound"));
        given().contentType(ContentType.JSON).body("{\"name\":\"stolen\",\"workspaceBackup\":\"b-nightly\","
                        + "\"clusterMapping\":{\"west\":\"west-2\"}}")
                .post("/v1/projects/ws/workspaces/team-a/restores").then().statusCode(404);
        given().get("/v1/projects/ws/restores?cluster=west-2").then().statusCode(200)
                .body("items.name", org.hamcrest.Matchers.not(hasItem("stolen-west-2")));

        given().contentType(ContentType.JSON).body("{\"name\":\"b-back\",\"workspaceBackup\":\"b-nightly\","
                        + "\"clusterMapping\":{\"west\":\"west-2\"}}")
                .post("/v1/projects/ws/workspaces/team-b/restores").then().statusCode(202);
        assertEquals("Completed", ApiRecord.awaitPhase("/v1/projects/ws/workspaces/team-b/restores/b-back").phase());
        given().get("/v1/projects/ws/workspaces/team-a/restores/b-back").then().statusCode(404);
    }
}
