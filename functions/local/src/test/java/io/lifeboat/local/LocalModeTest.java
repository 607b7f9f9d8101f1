package io.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.api.ApiRecord;
import io.lifeboat.archive.ArchiveReader;
import io.lifeboat.archive.NonRootVelero;
import io.lifeboat.archive.Layout;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationService;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.sandbox.kube.SampleApp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local mode as a user meets it: the README's curl calls, against the embedded servers and the sandbox cluster. */
@QuarkusTest
@QuarkusTestResource(LocalPorts.class)
class LocalModeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @Inject
    LocalMode local;
    @Inject
    LocationService locations;
    @Inject
    ObjectStoreFactory stores;

    @Test
    void theLocalLocationIsAvailableAndTheSandboxHealthy() {
        given().get("/v1/projects/default/locations/local").then().statusCode(200)
                .body("spec.provider", equalTo("minio"))
                .body("status.phase", equalTo("Available"))
                .body("spec.credentials.secretAccessKey", equalTo("***"));
        given().get("/v1/projects/default/clusters/sandbox").then().statusCode(200)
                .body("status.health", equalTo("Healthy"))
                .body("status.kubernetesVersion", startsWith("v1."));
        given().get("/v1/projects/default/clusters").then().statusCode(200)
                .body("items.name", hasItem("sandbox-2"));
    }

    /**
     * The web console at /: its page, never cached (its scripts' names change with each build), the scripts it names,
     * kept, and its settings: no sign-in in local mode.
     */
    @Test
    void theConsoleIsServedAtTheRoot() {
        String page = given().get("/").then().statusCode(200).header("Cache-Control", equalTo("no-cache"))
                .contentType(startsWith("text/html")).extract().asString();
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("/assets/[\\w.-]+\\.js").matcher(page);
        assertTrue(script.find(), page);
        given().get(script.group()).then().statusCode(200).header("Cache-Control", org.hamcrest.Matchers.containsString("max-age"));
        given().get("/index.html").then().statusCode(200).header("Cache-Control", equalTo("no-cache"));
        given().get("/console-config.json").then().statusCode(200).header("Cache-Control", equalTo("no-store"))
                .body("auth", equalTo("none")).body("defaultProject", equalTo("default"));
    }

    /** Local mode answers /q/health: alive, and ready with its embedded DynamoDB. */
    @Test
    void healthAnswersInLocalMode() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem("dynamodb"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void aMinioLocationOnTheLocalS3WithAMissingBucketIsUnavailable() {
        String body = """
                {"name":"nobucket","provider":"minio","bucket":"not-there","s3Url":"%s",
                 "credentials":{"accessKeyId":"%s","secretAccessKey":"%s"}}"""
                .formatted(local.s3().url(), local.s3().accessKey(), local.s3().secretKey());
        given().contentType(ContentType.JSON).body(body).post("/v1/projects/default/locations").then().statusCode(201)
                .body("status.phase", equalTo("Unavailable"))
                .body("status.reason", equalTo("NoSuchBucket"));
    }

    /**
     * Local mode wraps the data keys of an encrypted location with its key file: the location is Available, the backup
     * is encrypted in the bucket and served decrypted by the API.
     */
    @Test
    void anEncryptedLocationWorksWithTheLocalKeyFile() throws Exception {
        try (software.amazon.awssdk.services.s3.S3Client admin = software.amazon.awssdk.services.s3.S3Client.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(java.net.URI.create(local.s3().url()))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(local.s3().accessKey(),
                                local.s3().secretKey())))
                .build()) {
            admin.createBucket(r -> r.bucket("sealed"));
        }
        String body = """
                {"name":"sealed","provider":"minio","bucket":"sealed","s3Url":"%s",
                 "credentials":{"accessKeyId":"%s","secretAccessKey":"%s"},"encryption":{"kmsKeyId":"alias/lifeboat-local"}}"""
                .formatted(local.s3().url(), local.s3().accessKey(), local.s3().secretKey());
        given().contentType(ContentType.JSON).body(body).post("/v1/projects/default/locations").then().statusCode(201)
                .body("status.phase", equalTo("Available"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"sealed-first\",\"cluster\":\"sandbox\",\"location\":\"sealed\",\"namespaces\":[\"%s\"]}"
                        .formatted(SampleApp.NAMESPACE))
                .post("/v1/projects/default/backups").then().statusCode(202);
        ApiRecord done = ApiRecord.awaitPhase("/v1/projects/default/backups/sealed-first");
        assertEquals("Completed", done.phase(), done.toString());
        assertEquals(true, done.status("encrypted"));

        try (ObjectStore store = stores.open(locations.get("default", "sealed"))) {
            byte[] stored = store.get(Layout.backupObject("", "sealed-first", BackupFile.TARBALL));
            assertEquals("LBE", new String(stored, 0, 3, java.nio.charset.StandardCharsets.US_ASCII));
        }
        byte[] archive = given().get("/v1/projects/default/backups/sealed-first/archive").then().statusCode(200)
                .extract().asByteArray();
        try (ArchiveReader reader = new ArchiveReader(new java.io.ByteArrayInputStream(archive), 1 << 20)) {
            assertTrue(reader.next() != null, "the API serves the Velero tarball, decrypted");
        }
    }

    @Test
    void aBackupOfTheSandboxCompletesInVeleroLayout() throws Exception {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"first\",\"cluster\":\"sandbox\",\"location\":\"local\"}")
                .post("/v1/projects/default/backups").then().statusCode(202).body("status.phase", equalTo("New"));
        ApiRecord done = ApiRecord.awaitPhase("/v1/projects/default/backups/first");
        assertEquals("Completed", done.phase(), done.toString());
        @SuppressWarnings("unchecked")
        Map<String, Number> progress = (Map<String, Number>) done.status("progress");
        assertEquals(progress.get("totalItems").longValue(), progress.get("itemsBackedUp").longValue());
        // every object of the sample application, and the
        // sandbox's system namespaces (default, kube-system...)
        long systemNamespaces = local.sandbox("sandbox").client().namespaces().list().getItems().stream()
                .filter(ns -> !ns.getMetadata().getName().equals(SampleApp.NAMESPACE)).count();
        long sampleObjects = SampleApp.objectCount() + systemNamespaces;
        assertEquals(sampleObjects, progress.get("itemsBackedUp").longValue(), progress.toString());

        Location location = locations.get("default", "local");
        Set<String> paths = new HashSet<>();
        try (ObjectStore store = stores.open(location)) {
            for (BackupFile file : BackupFile.values()) {
                if (file == BackupFile.ITEM_OPERATIONS || file == BackupFile.POD_VOLUME_BACKUPS || file == BackupFile.VOLUME_INFO) {
                    continue; // written by Velero's plugins and file-system backup, which Lifeboat does not use
                }
                if (file == BackupFile.ENCRYPTION_HEADER) {
                    assertThrows(StoreException.class, () -> store.size(Layout.backupObject("", "first", file)),
                            "a backup into a location that does not encrypt has no encryption header");
                    continue;
                }
                assertTrue(store.size(Layout.backupObject("", "first", file)) > 0, file.toString());
            }
            try (InputStream in = store.download(Layout.backupObject("", "first", BackupFile.TARBALL));
                 ArchiveReader reader = new ArchiveReader(in, 1 << 20)) {
                for (ArchiveReader.Entry e; (e = reader.next()) != null; ) {
                    paths.add(e.path());
                }
            }
        }
        assertTrue(paths.contains("metadata/version"));
        assertTrue(paths.contains("resources/deployments.apps/namespaces/demo/web.json"), paths.toString());
        assertTrue(paths.contains("resources/deployments.apps/v1-preferredversion/namespaces/demo/web.json"));
        assertTrue(paths.contains("resources/secrets/namespaces/demo/" + SampleApp.SECRET + ".json"));
        assertTrue(paths.contains("resources/persistentvolumes/cluster/" + SampleApp.PERSISTENT_VOLUME + ".json"));
        assertTrue(paths.contains("resources/widgets.demo.lifeboat.io/namespaces/demo/alpha.json"));
        assertTrue(paths.contains("resources/customresourcedefinitions.apiextensions.k8s.io/cluster/widgets.demo.lifeboat.io.json"));

        String logs = given().get("/v1/projects/default/backups/first/logs").then().statusCode(200).extract().asString();
        assertTrue(logs.contains("Completed"), logs);
        given().get("/v1/projects/default/backups/first/resources").then().statusCode(200)
                .body("'apps/v1/Deployment'", hasItem("demo/web"));
        given().get("/v1/projects/default/backups?cluster=sandbox").then().statusCode(200)
                .body("items.name", hasItem("first"));
    }

    @Test
    void aBackupOfTheSandboxIsRestoredIntoSandbox2() throws Exception {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"for-restore\",\"cluster\":\"sandbox\",\"location\":\"local\"}")
                .post("/v1/projects/default/backups").then().statusCode(202);
        assertEquals("Completed", ApiRecord.awaitPhase("/v1/projects/default/backups/for-restore").phase());
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"into-2\",\"backup\":\"for-restore\",\"targetCluster\":\"sandbox-2\"}")
                .post("/v1/projects/default/restores").then().statusCode(202);
        ApiRecord done = ApiRecord.awaitPhase("/v1/projects/default/restores/into-2");
        assertEquals("Completed", done.phase(), done.toString());
        given().get("/v1/projects/default/restores?cluster=sandbox-2").then().statusCode(200)
                .body("items.name", hasItem("into-2"))
                .body("items.find { it.name == 'into-2' }.status.progress.itemsRestored", equalTo(((Map<?, ?>) done.status("progress")).get("totalItems")));
        var restored = local.sandbox("sandbox-2").client();
        for (String deployment : SampleApp.DEPLOYMENTS) {
            assertTrue(restored.apps().deployments().inNamespace(SampleApp.NAMESPACE).withName(deployment).get() != null, deployment);
        }
        assertTrue(restored.genericKubernetesResources(SampleApp.widgetContext()).inNamespace(SampleApp.NAMESPACE)
                .withName("alpha").get() != null);
    }

    /**
     * Velero's image runs as a non-root user: a backup made here is extracted as nobody with Go's MkdirAll semantics
     * and parsed as Velero's parser does. Every item the backup's resource list names is found, under a file named
     * after it, and every resource folder has its preferred-version folder holding the same items.
     */
    @Test
    void aNonRootVeleroExtractsAndParsesABackupMadeInLocalMode() throws Exception {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"for-velero\",\"cluster\":\"sandbox\",\"location\":\"local\"}")
                .post("/v1/projects/default/backups").then().statusCode(202);
        assertEquals("Completed", ApiRecord.awaitPhase("/v1/projects/default/backups/for-velero").phase());
        Map<String, List<String>> resourceList = given().get("/v1/projects/default/backups/for-velero/resources")
                .then().statusCode(200).extract().jsonPath().getMap("");
        byte[] tarball;
        try (ObjectStore store = stores.open(locations.get("default", "local"));
             InputStream in = store.download(Layout.backupObject("", "for-velero", BackupFile.TARBALL))) {
            tarball = in.readAllBytes();
        }

        NonRootVelero.Reading reading = NonRootVelero.read(tarball);

        assertTrue(reading.extracted(), reading.errors());
        Set<String> parsed = new HashSet<>();
        for (NonRootVelero.Item item : reading.topItems()) {
            JsonNode object = JSON.readTree(item.content());
            assertEquals(object.path("metadata").path("name").asText(), item.name(), item.folder() + ": file name is metadata.name");
            assertEquals(object.path("metadata").path("namespace").asText(null), item.namespace(), item.folder() + "/" + item.name());
            parsed.add(object.path("apiVersion").asText() + "/" + object.path("kind").asText() + " "
                    + (item.namespace() == null ? "" : item.namespace() + "/") + item.name());
        }
        long listed = 0;
        for (Map.Entry<String, List<String>> type : resourceList.entrySet()) {
            for (String entry : type.getValue()) {
                assertTrue(parsed.contains(type.getKey() + " " + entry), type.getKey() + " " + entry + " is not in " + parsed);
                listed++;
            }
        }
        assertEquals(listed, parsed.size(), "the parser finds exactly what the resource list names");
        assertTrue(listed > SampleApp.objectCount() / 2, "a real backup: " + listed + " items");

        for (Map.Entry<String, List<String>> folder : reading.versionFolders().entrySet()) {
            List<String> preferred = folder.getValue().stream().filter(v -> v.endsWith("-preferredversion")).toList();
            assertEquals(1, preferred.size(), folder.getKey() + " has one preferred-version folder: " + folder.getValue());
            String version = preferred.get(0).substring(0, preferred.get(0).length() - "-preferredversion".length());
            Set<String> top = new HashSet<>();
            Set<String> underPreferred = new HashSet<>();
            for (NonRootVelero.Item item : reading.items()) {
                if (!item.folder().equals(folder.getKey())) {
                    continue;
                }
                if (item.version() == null) {
                    top.add(item.namespace() + "/" + item.name());
                    String apiVersion = JSON.readTree(item.content()).path("apiVersion").asText();
                    assertEquals(version, apiVersion.substring(apiVersion.lastIndexOf('/') + 1), folder.getKey());
                } else {
                    underPreferred.add(item.namespace() + "/" + item.name());
                }
            }
            assertEquals(top, underPreferred, folder.getKey());
        }
    }
}
