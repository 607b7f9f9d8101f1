package io.lifeboat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.archive.Layout;
import io.lifeboat.archive.VeleroBackupFiles;
import io.lifeboat.location.LocationService;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.sandbox.kube.SampleApp;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verifications of backups through the API: asked for after the backup ({@code verifyAfter}) or later
 * ({@code POST …/verify}), of a sound backup, of one whose archive was changed in the bucket, and of one Velero wrote;
 * and the requests it refuses.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class VerifyApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String P = "/v1/projects/verify";
    static SandboxCluster cluster;
    static boolean registered;

    @Inject
    LocationService locations;
    @Inject
    ObjectStoreFactory stores;
    @Inject
    io.lifeboat.backup.BackupRepository backupRecords;

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.builder().name("verified").start();
        SampleApp.install(cluster.client());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void register() {
        if (registered) {
            return;
        }
        registered = true;
        ApiFixtures.addLocalLocation("verify", "store", "verify");
        ApiFixtures.addCluster("verify", "prod", cluster.kubeconfigYaml());
    }

    /** Polls the backup until its verification is no longer Pending; returns {@code status.verification}. */
    static Map<String, Object> awaitVerification(String backup) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            Object verification = ApiRecord.get(P + "/backups/" + backup).status("verification");
            if (verification instanceof Map<?, ?> map && !"Pending".equals(map.get("phase"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> done = (Map<String, Object>) map;
                return done;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("backup " + backup + " was not verified within 90 s: " + ApiRecord.get(P + "/backups/" + backup));
    }

    @Test
    void aBackupAskedToBeVerifiedIsVerifiedOnceFinishedAndAgainOnRequest() throws Exception {
        given().contentType(ContentType.JSON).body("""
                {"name":"checked","cluster":"prod","location":"store","namespaces":["demo"],"verifyAfter":true}""")
                .post(P + "/backups").then().statusCode(202).body("spec.verifyAfter", equalTo(true));
        assertEquals("Completed", ApiRecord.awaitPhase(P + "/backups/checked").phase());
        Map<String, Object> after = awaitVerification("checked");
        assertEquals("Passed", after.get("phase"), after.toString());
        assertEquals(true, after.get("ok"));
        assertEquals(List.of(), after.get("problems"));
        assertTrue(((Number) after.get("items")).intValue() >= 10, after.toString());

        given().post(P + "/backups/checked/verify").then().statusCode(202)
                .body("name", equalTo("checked"))
                .body("status.verification.phase", equalTo("Pending"));
        Map<String, Object> again = awaitVerification("checked");
        assertEquals("Passed", again.get("phase"), again.toString());
        assertTrue(Instant.parse((String) again.get("requestedAt")).isAfter(Instant.parse((String) after.get("at"))),
                again + " after " + after);
        assertEquals("Completed", ApiRecord.awaitPhase(P + "/backups/checked").phase(), "a verification never changes the phase");
    }

    @Test
    void anArchiveChangedInTheBucketFailsItsVerificationWithTheReason() throws Exception {
        given().contentType(ContentType.JSON).body("{\"name\":\"tampered\",\"cluster\":\"prod\",\"location\":\"store\","
                + "\"namespaces\":[\"demo\"]}").post(P + "/backups").then().statusCode(202);
        assertEquals("Completed", ApiRecord.awaitPhase(P + "/backups/tampered").phase());
        String key = Layout.backupObject("verify", "tampered", Layout.BackupFile.TARBALL);
        try (ObjectStore store = stores.open(locations.get("verify", "store"))) {
            store.put(key, rewritten(store.get(key)));
        }
        given().post(P + "/backups/tampered/verify").then().statusCode(202);
        Map<String, Object> verification = awaitVerification("tampered");
        assertEquals("Failed", verification.get("phase"), verification.toString());
        assertEquals(false, verification.get("ok"));
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) verification.get("problems");
        assertTrue(problems.stream().anyMatch(p -> p.contains("it was changed or damaged after the backup")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("differs from the manifest")), problems.toString());
        assertEquals(problems.size(), ((Number) verification.get("problemCount")).intValue());
    }

    /** Every ConfigMap's data changed, as whoever holds the bucket's keys could; entries and order kept. */
    static byte[] rewritten(byte[] tarGz) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tarGz)));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out), StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                if (entry.getName().contains("/configmaps/")) {
                    content = new String(content, StandardCharsets.UTF_8).replace("\"data\":{", "\"data\":{\"planted\":\"1\",")
                            .getBytes(StandardCharsets.UTF_8);
                }
                TarArchiveEntry copy = new TarArchiveEntry(entry.getName(), true);
                copy.setSize(content.length);
                copy.setMode(0755);
                tar.putArchiveEntry(copy);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void aBackupVeleroWroteIsVerifiedByWhatItHas() throws Exception {
        var cm = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"shop","uid":"77aa"},
                 "data":{"currency":"EUR"}}""");
        try (ObjectStore store = stores.open(locations.get("verify", "store"))) {
            VeleroBackupFiles.backup("from-velero").item("configmaps", "v1", cm).files()
                    .forEach((key, content) -> store.put("verify/" + key, content));
        }
        given().post(P + "/locations/store/sync").then().statusCode(200).body("imported", equalTo(List.of("from-velero")));
        given().post(P + "/backups/from-velero/verify").then().statusCode(202)
                .body("status.origin", equalTo("velero"));
        Map<String, Object> verification = awaitVerification("from-velero");
        assertEquals("Passed", verification.get("phase"), verification.toString());
        assertEquals(1, ((Number) verification.get("items")).intValue());
    }

    @Test
    void badRequests() {
        given().post(P + "/backups/nope/verify").then().statusCode(404).body("error.code", equalTo("NotFound"));
        backupRecords.create(io.lifeboat.backup.Backup.requested("verify", "not-run", "prod", "store", List.of(), null,
                false, Instant.now(), Instant.now().plusSeconds(3600)));
        given().post(P + "/backups/not-run/verify").then().statusCode(409).body("error.field", equalTo("name"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"cluster\":\"prod\",\"location\":\"store\",\"verifyAfter\":\"yes\"}")
                .post(P + "/backups").then().statusCode(400).body("error.field", equalTo("verifyAfter"));
        given().get(P + "/backups/x").then().statusCode(404);
    }
}
