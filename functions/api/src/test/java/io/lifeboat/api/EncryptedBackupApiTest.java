package io.lifeboat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backup through a location that encrypts, end to end through the API: the location shows its key, the backup says
 * {@code encrypted: true}, the bucket holds no byte of a Secret's value (searched raw and, where an object is gzip,
 * decompressed; the same search finds it in a plain location's backup), a restore decrypts as it streams and brings
 * the Secret back, and a tarball with a flipped byte, a dropped chunk or two chunks swapped is refused with nothing
 * applied to the target. LocalServers sets 4 KiB chunks, so a small backup has several.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class EncryptedBackupApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String P = "/v1/projects/sealed";
    private static final String SECRET_VALUE = "hunter2-correct-horse-battery-staple-7f3a";
    private static SandboxCluster source;
    private static SandboxCluster target;
    private static boolean registered;

    @BeforeAll
    static void clusters() {
        source = SandboxCluster.builder().name("sealed-a").start();
        KubernetesClient client = source.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("vault").endMetadata().build()).create();
        client.secrets().inNamespace("vault").resource(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .addToData("password", Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        byte[] noise = new byte[24 * 1024]; // incompressible, so the tarball spans several 4 KiB chunks
        new SecureRandom().nextBytes(noise);
        client.configMaps().inNamespace("vault").resource(new ConfigMapBuilder().withNewMetadata().withName("bulk")
                .endMetadata().addToData("noise", Base64.getEncoder().encodeToString(noise)).build()).create();
        target = SandboxCluster.builder().name("sealed-b").start();
    }

    @AfterAll
    static void stop() {
        source.close();
        target.close();
    }

    @BeforeEach
    void register() throws Exception {
        if (registered) {
            return;
        }
        registered = true;
        for (String[] location : List.of(new String[]{"sealed", "encrypted", ",\"encryption\":{\"kmsKeyId\":\"alias/lifeboat-local\"}"},
                new String[]{"plain", "plain-control", ""})) {
            ApiFixtures.addLocation("sealed", ApiFixtures.minioOn(location[0], LocalServers.s3.url(), location[1],
                    location[2])).body("status.phase", equalTo("Available"));
        }
        for (SandboxCluster cluster : List.of(source, target)) {
            ApiFixtures.addCluster("sealed", cluster.name(), cluster.kubeconfigYaml());
        }
        for (String[] backup : List.of(new String[]{"sealed-1", "sealed"}, new String[]{"plain-1", "plain"})) {
            given().contentType(ContentType.JSON)
                    .body("{\"name\":\"%s\",\"cluster\":\"sealed-a\",\"location\":\"%s\",\"namespaces\":[\"vault\"]}"
                            .formatted(backup[0], backup[1]))
                    .post(P + "/backups").then().statusCode(202);
            ApiRecord done = ApiRecord.awaitPhase(P + "/backups/" + backup[0]);
            assertEquals("Completed", done.phase(), done.toString());
        }
    }

    private static S3Client s3() {
        return S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(URI.create(LocalServers.s3.url())).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalServers.s3.accessKey(), LocalServers.s3.secretKey())))
                .build();
    }

    /** Every object under {@code prefix}, by key. */
    private static Map<String, byte[]> objects(S3Client s3, String prefix) {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket("backups").prefix(prefix)).contents()) {
            objects.put(object.key(), s3.getObjectAsBytes(r -> r.bucket("backups").key(object.key())).asByteArray());
        }
        return objects;
    }

    /** The keys of the objects in which the Secret's value (or its Base64) is found, raw or gunzipped. */
    private static List<String> holdingTheSecret(Map<String, byte[]> objects) throws IOException {
        String base64 = Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes(StandardCharsets.UTF_8));
        List<String> found = new java.util.ArrayList<>();
        for (Map.Entry<String, byte[]> object : objects.entrySet()) {
            String raw = new String(object.getValue(), StandardCharsets.ISO_8859_1);
            String inflated = "";
            if (object.getValue().length > 2 && (object.getValue()[0] & 0xff) == 0x1f && (object.getValue()[1] & 0xff) == 0x8b) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(object.getValue()))) {
                    inflated = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                }
            }
            if (raw.contains(SECRET_VALUE) || raw.contains(base64) || inflated.contains(SECRET_VALUE) || inflated.contains(base64)) {
                found.add(object.getKey());
            }
        }
        return found;
    }

    @Test
    void theLocationAndTheBackupSayTheyAreEncryptedAndThePlainOnesSayNot() {
        given().get(P + "/locations/sealed").then().statusCode(200).body("spec.encryption.kmsKeyId", equalTo("alias/lifeboat-local"));
        given().get(P + "/backups/sealed-1").then().statusCode(200)
                .body("status.encrypted", equalTo(true))
                .body("status.encryption.kmsKeyId", equalTo("alias/lifeboat-local"))
                .body("status.encryption.plaintextSha256", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}"));
        given().get(P + "/backups/plain-1").then().statusCode(200).body("status.encrypted", equalTo(false))
                .body("status", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("encryption")));
    }

    @Test
    void theBucketHoldsNoPlaintextOfTheSecretWhileAPlainBackupDoes() throws IOException {
        try (S3Client s3 = s3()) {
            Map<String, byte[]> sealed = objects(s3, "encrypted/backups/sealed-1/");
            Map<String, byte[]> plain = objects(s3, "plain-control/backups/plain-1/");
            assertTrue(sealed.keySet().stream().anyMatch(k -> k.endsWith("/sealed-1.tar.gz")), sealed.keySet().toString());
            assertTrue(sealed.keySet().stream().anyMatch(k -> k.endsWith("/lifeboat-encryption.json")), sealed.keySet().toString());
            assertEquals(List.of(), holdingTheSecret(sealed), "encrypted objects must not hold the Secret's value");
            assertTrue(holdingTheSecret(plain).stream().anyMatch(k -> k.endsWith("/plain-1.tar.gz")),
                    "the same search finds the value in a plain backup: " + holdingTheSecret(plain));
            for (Map.Entry<String, byte[]> object : sealed.entrySet()) {
                if (!object.getKey().endsWith("/lifeboat-encryption.json")) {
                    assertEquals("LBE", new String(object.getValue(), 0, 3, StandardCharsets.US_ASCII),
                            object.getKey() + " is stored in the chunked format");
                }
            }
        }
    }

    @Test
    void aTamperedTarballIsRefusedBeforeAnythingIsAppliedAndTheSoundOneRestores() throws Exception {
        String key = "encrypted/backups/sealed-1/sealed-1.tar.gz";
        try (S3Client s3 = s3()) {
            byte[] sealed = s3.getObjectAsBytes(r -> r.bucket("backups").key(key)).asByteArray();
            int chunk = 12 + 4096 + 16;
            int second = 8 + chunk;
            assertTrue(sealed.length > 8 + 3 * chunk, "at least four chunks: " + sealed.length + " bytes");
            byte[] flipped = sealed.clone();
            flipped[second + 100] ^= 0x01;
            byte[] dropped = concat(Arrays.copyOfRange(sealed, 0, second), Arrays.copyOfRange(sealed, second + chunk, sealed.length));
            byte[] swapped = concat(Arrays.copyOfRange(sealed, 0, second),
                    Arrays.copyOfRange(sealed, second + chunk, second + 2 * chunk),
                    Arrays.copyOfRange(sealed, second, second + chunk),
                    Arrays.copyOfRange(sealed, second + 2 * chunk, sealed.length));
            Map<String, byte[]> tamperings = new LinkedHashMap<>();
            tamperings.put("flipped", flipped);
            tamperings.put("dropped", dropped);
            tamperings.put("swapped", swapped);
            try {
                for (Map.Entry<String, byte[]> tampered : tamperings.entrySet()) {
                    s3.putObject(r -> r.bucket("backups").key(key), RequestBody.fromBytes(tampered.getValue()));
                    String name = "refused-" + tampered.getKey();
                    given().contentType(ContentType.JSON)
                            .body("{\"name\":\"%s\",\"backup\":\"sealed-1\",\"targetCluster\":\"sealed-b\"}".formatted(name))
                            .post(P + "/restores").then().statusCode(202);
                    ApiRecord refused = ApiRecord.awaitPhase(P + "/restores/" + name);
                    assertEquals("Failed", refused.phase(), refused.toString());
                    assertTrue(refused.toString().contains("chunk 1 of sealed-1.tar.gz failed authentication"),
                            tampered.getKey() + ": " + refused);
                    assertTrue(target.client().namespaces().withName("vault").get() == null,
                            tampered.getKey() + ": nothing may be applied");
                    assertEquals(List.of(), target.client().secrets().inAnyNamespace().list().getItems().stream()
                            .filter(s -> "db".equals(s.getMetadata().getName())).toList(), tampered.getKey());
                }
            } finally {
                s3.putObject(r -> r.bucket("backups").key(key), RequestBody.fromBytes(sealed));
            }
        }

        given().contentType(ContentType.JSON).body("{\"name\":\"sound\",\"backup\":\"sealed-1\",\"targetCluster\":\"sealed-b\"}")
                .post(P + "/restores").then().statusCode(202);
        ApiRecord restored = ApiRecord.awaitPhase(P + "/restores/sound");
        assertEquals("Completed", restored.phase(), restored.toString());
        Secret back = target.client().secrets().inNamespace("vault").withName("db").get();
        assertEquals(SECRET_VALUE, new String(Base64.getDecoder().decode(back.getData().get("password")), StandardCharsets.UTF_8));
        assertFalse(target.client().configMaps().inNamespace("vault").withName("bulk").get().getData().get("noise").isEmpty());
    }

    /** The diff of two encrypted backups reads both as they decrypt, through the API. */
    @Test
    void twoEncryptedBackupsAreComparedThroughTheApi() throws Exception {
        source.client().configMaps().inNamespace("vault").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("added-later").endMetadata().addToData("k", "v").build()).create();
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"sealed-2\",\"cluster\":\"sealed-a\",\"location\":\"sealed\",\"namespaces\":[\"vault\"]}")
                .post(P + "/backups").then().statusCode(202);
        ApiRecord done = ApiRecord.awaitPhase(P + "/backups/sealed-2");
        assertEquals("Completed", done.phase(), done.toString());

        var diff = JSON.readTree(given().get(P + "/backups/sealed-1/diff/sealed-2").then().statusCode(200)
                .extract().asString());
        assertEquals(1, diff.path("summary").path("added").asInt(), diff.toString());
        assertEquals(0, diff.path("summary").path("removed").asInt(), diff.toString());
        assertEquals(0, diff.path("summary").path("changed").asInt(), diff.toString());
        assertTrue(diff.toString().contains("\"vault/added-later\""), diff.toString());
    }

    @Test
    void theApiServesTheDecryptedArchiveAndItsFiles() {
        byte[] archive = given().get(P + "/backups/sealed-1/archive").then().statusCode(200).extract().asByteArray();
        assertEquals(0x1f, archive[0] & 0xff, "the Velero tarball, gzip, in clear");
        assertEquals(0x8b, archive[1] & 0xff);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
