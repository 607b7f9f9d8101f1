package io.lifeboat.api;

import io.lifeboat.sandbox.kube.SampleApp;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When a worker cannot be started (here: Workers that throw as a refused Lambda invocation does), the record is
 * Failed with the reason, and the POST answers 503 WorkerNotStarted with the record; a workspace run answers 202 and
 * shows each child that could not be started as Failed, with the reason.
 */
@QuarkusTest
@TestProfile(WorkerRefusedApiTest.Refusing.class)
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class WorkerRefusedApiTest {
    static final String REASON = "run-backup could not be started: invoking Lambda lifeboat-run-backup failed: Rate Exceeded.";
    static SandboxCluster cluster;

    public static class Refusing implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(RefusingWorkers.class);
        }
    }

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.builder().name("refusing").start();
        SampleApp.install(cluster.client());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void accept() {
        RefusingWorkers.refuse = false;
    }

    @Test
    void recordsWhoseWorkerCannotBeStartedAreFailedWithTheReason() throws Exception {
        ApiFixtures.addLocalLocation("r", "store", "refused");
        ApiFixtures.addCluster("r", "prod", cluster.kubeconfigYaml());
        given().contentType(ContentType.JSON).body("{\"name\":\"fleet\",\"clusters\":[\"prod\"],\"namespaces\":[\"demo\"]}")
                .post("/v1/projects/r/workspaces").then().statusCode(201);
        // while workers start: a backup and a workspace backup to restore later
        given().contentType(ContentType.JSON).body("{\"name\":\"good\",\"cluster\":\"prod\",\"location\":\"store\",\"namespaces\":[\"demo\"]}")
                .post("/v1/projects/r/backups").then().statusCode(202);
        assertEquals("Completed", ApiRecord.awaitPhase("/v1/projects/r/backups/good").phase());
        given().contentType(ContentType.JSON).body("{\"name\":\"ws-good\",\"location\":\"store\"}")
                .post("/v1/projects/r/workspaces/fleet/backups").then().statusCode(202);
        assertEquals("Completed", ApiRecord.awaitPhase("/v1/projects/r/workspaces/fleet/backups/ws-good").phase());

        RefusingWorkers.refuse = true;
        given().contentType(ContentType.JSON).body("{\"name\":\"refused\",\"cluster\":\"prod\",\"location\":\"store\"}")
                .post("/v1/projects/r/backups").then().statusCode(503)
                .body("error.code", equalTo("WorkerNotStarted"))
                .body("error.message", startsWith(REASON))
                .body("backup.name", equalTo("refused"))
                .body("backup.status.phase", equalTo("Failed"));
        given().get("/v1/projects/r/backups/refused").then().statusCode(200)
                .body("status.phase", equalTo("Failed")).body("status.errors", equalTo(1))
                .body("status.firstErrors[0]", startsWith(REASON));

        given().contentType(ContentType.JSON).body("{\"name\":\"back\",\"backup\":\"good\",\"targetCluster\":\"prod\"}")
                .post("/v1/projects/r/restores").then().statusCode(503)
                .body("error.code", equalTo("WorkerNotStarted"))
                .body("error.message", startsWith("run-restore could not be started: invoking Lambda lifeboat-run-restore"))
                .body("restore.status.phase", equalTo("Failed"));
        given().get("/v1/projects/r/restores/back").then().statusCode(200)
                .body("status.phase", equalTo("Failed")).body("status.errors", equalTo(1))
                .body("status.results.errors.velero[0]", startsWith("run-restore could not be started"));

        given().post("/v1/projects/r/backups/good/verify").then().statusCode(503)
                .body("error.code", equalTo("WorkerNotStarted"))
                .body("error.message", startsWith("the verification could not be started: invoking Lambda lifeboat-run-backup"))
                .body("backup.status.phase", equalTo("Completed"))
                .body("backup.status.verification.phase", equalTo("Failed"));
        given().get("/v1/projects/r/backups/good").then().statusCode(200)
                .body("status.verification.ok", equalTo(false))
                .body("status.verification.problems[0]", startsWith("the verification could not be started"));

        given().contentType(ContentType.JSON).body("{\"name\":\"ws-refused\",\"location\":\"store\"}")
                .post("/v1/projects/r/workspaces/fleet/backups").then().statusCode(202)
                .body("status.phase", equalTo("Failed"))
                .body("status.children[0].phase", equalTo("Failed"))
                .body("status.children[0].reason", startsWith(REASON));
        given().get("/v1/projects/r/backups/ws-refused-prod").then().statusCode(200).body("status.phase", equalTo("Failed"));

        given().contentType(ContentType.JSON).body("{\"name\":\"ws-back\",\"workspaceBackup\":\"ws-good\"}")
                .post("/v1/projects/r/workspaces/fleet/restores").then().statusCode(202)
                .body("status.phase", equalTo("Failed"))
                .body("status.children[0].phase", equalTo("Failed"))
                .body("status.children[0].reason", startsWith("run-restore could not be started"));
        given().get("/v1/projects/r/restores/ws-back-prod").then().statusCode(200).body("status.phase", equalTo("Failed"));
    }
}
