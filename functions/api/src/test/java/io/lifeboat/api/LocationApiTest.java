package io.lifeboat.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The locations API over HTTP, on DynamoDB Local and s3proxy. */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class LocationApiTest {
    static final String SECRET = "Sup3r-Secret-Access-Key-9f8e7d";

    static String minio(String name, String bucket, String url, String secret) {
        return """
                {"name":"%s","provider":"minio","bucket":"%s","prefix":"locations/%s","s3Url":"%s",
                 "credentials":{"accessKeyId":"%s","secretAccessKey":"%s"}}"""
                .formatted(name, bucket, name, url, LocalServers.s3.accessKey(), secret);
    }

    @Test
    void aMinioLocationOnTheLocalS3IsAvailableAndShowsNoSecret() {
        LogCapture logs = LogCapture.install();
        try {
            // s3proxy accepts only its own secret; the location is created with it, and it must never come back
            String body = minio("minio-ok", "backups", LocalServers.s3.url(), LocalServers.s3.secretKey());
            Response created = given().contentType(ContentType.JSON).body(body)
                    .post("/v1/projects/team-a/locations");
            created.then().statusCode(201)
                    .body("status.phase", equalTo("Available"))
                    .body("spec.credentials.secretAccessKey", equalTo("***"))
                    .body("spec.credentials.accessKeyId", equalTo("***"))
                    .body("status.lastValidatedAt", startsWith("20"));
            assertFalse(created.asString().contains(LocalServers.s3.secretKey()));

            String list = given().get("/v1/projects/team-a/locations").then().statusCode(200)
                    .body("items", hasSize(1)).extract().asString();
            String one = given().get("/v1/projects/team-a/locations/minio-ok").then().statusCode(200)
                    .body("spec.bucket", equalTo("backups")).extract().asString();
            String validated = given().post("/v1/projects/team-a/locations/minio-ok/validate").then().statusCode(200)
                    .body("status.phase", equalTo("Available")).extract().asString();
            for (String answer : new String[]{list, one, validated}) {
                assertFalse(answer.contains(LocalServers.s3.secretKey()), answer);
            }
        } finally {
            logs.uninstall();
        }
        assertTrue(logs.lines().stream().noneMatch(line -> line.contains(LocalServers.s3.secretKey())));
    }

    @Test
    void aMissingBucketIsUnavailableWithTheReason() {
        given().contentType(ContentType.JSON)
                .body(minio("minio-nobucket", "does-not-exist", LocalServers.s3.url(), LocalServers.s3.secretKey()))
                .post("/v1/projects/team-b/locations")
                .then().statusCode(201)
                .body("status.phase", equalTo("Unavailable"))
                .body("status.reason", equalTo("NoSuchBucket"));
    }

    @Test
    void wrongCredentialsAreUnavailableAndNeverEchoed() {
        LogCapture logs = LogCapture.install();
        String answer;
        try {
            answer = given().contentType(ContentType.JSON)
                    .body(minio("minio-badkey", "backups", LocalServers.s3.url(), SECRET))
                    .post("/v1/projects/team-c/locations")
                    .then().statusCode(201)
                    .body("status.phase", equalTo("Unavailable"))
                    .body("status.reason", oneOf("AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId"))
                    .extract().asString();
        } finally {
            logs.uninstall();
        }
        assertFalse(answer.contains(SECRET), answer);
        assertTrue(logs.lines().stream().noneMatch(line -> line.contains(SECRET)), String.join("", logs.lines()));
    }

    @Test
    void httpsNeedsTheCaCertificate() {
        String withoutCa = minio("tls-no-ca", "backups", LocalServers.s3.secureUrl(), LocalServers.s3.secretKey());
        given().contentType(ContentType.JSON).body(withoutCa).post("/v1/projects/team-d/locations")
                .then().statusCode(201)
                .body("status.phase", equalTo("Unavailable"))
                .body("status.reason", equalTo("CertificateError"));
        String pem = LocalServers.s3.certificate().certificatePem().replace("\n", "\\n");
        String withCa = minio("tls-ca", "backups", LocalServers.s3.secureUrl(), LocalServers.s3.secretKey())
                .replace("\"s3Url\"", "\"caCertificate\":\"" + pem + "\",\"s3Url\"");
        given().contentType(ContentType.JSON).body(withCa).post("/v1/projects/team-d/locations")
                .then().statusCode(201)
                .body("status.phase", equalTo("Available"))
                .body("spec.caCertificate", startsWith("-----BEGIN CERTIFICATE-----"));
    }

    /** The snapshot mode is checked (400 naming the field), stored and returned; csi when not given. */
    @Test
    void theSnapshotModeIsCheckedStoredAndReturned() {
        String body = """
                {"name":"%s","provider":"aws","bucket":"backups","prefix":"locations/%s","region":"us-east-1","s3Url":"%s",
                 "forcePathStyle":true,"credentials":{"accessKeyId":"%s","secretAccessKey":"%s"}%s}""";
        String url = LocalServers.s3.url();
        String key = LocalServers.s3.accessKey();
        String secret = LocalServers.s3.secretKey();
        given().contentType(ContentType.JSON).body(body.formatted("disks-native", "disks-native", url, key, secret,
                        ",\"snapshotMode\":\"native\"")).post("/v1/projects/team-s/locations")
                .then().statusCode(201).body("spec.snapshotMode", equalTo("native"));
        given().get("/v1/projects/team-s/locations/disks-native").then().statusCode(200)
                .body("spec.snapshotMode", equalTo("native"));
        given().contentType(ContentType.JSON).body(body.formatted("disks-default", "disks-default", url, key, secret, ""))
                .post("/v1/projects/team-s/locations").then().statusCode(201).body("spec.snapshotMode", equalTo("csi"));
        given().contentType(ContentType.JSON).body(body.formatted("disks-bad", "disks-bad", url, key, secret,
                        ",\"snapshotMode\":\"ebs\"")).post("/v1/projects/team-s/locations")
                .then().statusCode(400).body("error.field", equalTo("snapshotMode"));
        given().contentType(ContentType.JSON).body(minio("minio-native", "backups", url, secret)
                        .replace("\"credentials\"", "\"snapshotMode\":\"auto\",\"credentials\""))
                .post("/v1/projects/team-s/locations").then().statusCode(400).body("error.field", equalTo("snapshotMode"));
    }

    @Test
    void anAwsLocationWithStaticKeysOnAnS3Endpoint() {
        String body = """
                {"name":"aws-ok","provider":"aws","bucket":"backups","prefix":"locations/aws-ok","region":"us-east-1","s3Url":"%s",
                 "forcePathStyle":true,"credentials":{"accessKeyId":"%s","secretAccessKey":"%s"}}"""
                .formatted(LocalServers.s3.url(), LocalServers.s3.accessKey(), LocalServers.s3.secretKey());
        given().contentType(ContentType.JSON).body(body).post("/v1/projects/team-e/locations")
                .then().statusCode(201).body("status.phase", equalTo("Available")).body("spec.forcePathStyle", equalTo(true));
    }

    @Test
    void duplicatesConflictAndDeletesAreFinal() {
        String body = minio("dup", "backups", LocalServers.s3.url(), LocalServers.s3.secretKey());
        given().contentType(ContentType.JSON).body(body).post("/v1/projects/team-f/locations").then().statusCode(201);
        given().contentType(ContentType.JSON).body(body).post("/v1/projects/team-f/locations").then().statusCode(409)
                .body("error.code", equalTo("Conflict")).body("error.field", equalTo("name"));
        given().delete("/v1/projects/team-f/locations/dup").then().statusCode(204);
        given().delete("/v1/projects/team-f/locations/dup").then().statusCode(404).body("error.code", equalTo("NotFound"));
        given().get("/v1/projects/team-f/locations/dup").then().statusCode(404);
        given().post("/v1/projects/team-f/locations/dup/validate").then().statusCode(404);
    }

    /** gcp and azure locations whose endpoints refuse connections: Unavailable, and their secrets never shown. */
    @Test
    void gcpAndAzureSecretsNeverComeBackNorReachTheLogs() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String privateKey = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        String key = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of(
                "type", "service_account", "project_id", "lifeboat-test", "private_key_id", "k1",
                "private_key", privateKey, "client_email", "backup@lifeboat-test.iam.gserviceaccount.com",
                "client_id", "1", "token_uri", "http://127.0.0.1:" + closed + "/token"));
        String gcp = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of(
                "name", "gcs-closed", "provider", "gcp", "bucket", "lifeboat-backups", "jsonCredentials", key,
                "endpoint", "http://127.0.0.1:" + closed));
        String azureSecret = "Az-Client-Secret-5c8e91f0";
        String azure = """
                {"name":"azure-closed","provider":"azure","container":"velero","storageAccount":"lifeboatsa",
                 "resourceGroup":"rg-backups","tenantId":"11111111-2222-3333-4444-555555555555",
                 "clientId":"11111111-2222-3333-4444-666666666666","subscriptionId":"11111111-2222-3333-4444-777777777777",
                 "clientSecret":"%s","endpoint":"https://127.0.0.1:%d/lifeboatsa","authorityHost":"https://127.0.0.1:%d/"}"""
                .formatted(azureSecret, closed, closed);
        String keyLine = privateKey.split("\n")[3];
        LogCapture logs = LogCapture.install();
        java.util.List<String> answers = new java.util.ArrayList<>();
        try {
            answers.add(given().contentType(ContentType.JSON).body(gcp).post("/v1/projects/team-g/locations")
                    .then().statusCode(201).body("status.phase", equalTo("Unavailable"))
                    .body("spec.jsonCredentials", equalTo("***")).extract().asString());
            answers.add(given().contentType(ContentType.JSON).body(azure).post("/v1/projects/team-g/locations")
                    .then().statusCode(201).body("status.phase", equalTo("Unavailable"))
                    .body("spec.clientSecret", equalTo("***")).body("spec.tenantId", equalTo("11111111-2222-3333-4444-555555555555"))
                    .extract().asString());
            answers.add(given().get("/v1/projects/team-g/locations").then().statusCode(200).extract().asString());
            answers.add(given().post("/v1/projects/team-g/locations/azure-closed/validate").then().statusCode(200)
                    .extract().asString());
        } finally {
            logs.uninstall();
        }
        for (String answer : answers) {
            assertFalse(answer.contains(azureSecret), answer);
            assertFalse(answer.contains(keyLine), answer);
            assertFalse(answer.contains("PRIVATE KEY"), answer);
        }
        for (String line : logs.lines()) {
            assertFalse(line.contains(azureSecret), line);
            assertFalse(line.contains(keyLine), line);
        }
    }

    /** Each malformed request gets a 400 naming the field, and nothing is written. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty body            | body            | ''
            not json              | body            | '{"name":'
            array body            | body            | '[1,2]'
            missing name          | name            | '{"provider":"minio","bucket":"b-1"}'
            bad name              | name            | '{"name":"Bad_Name","provider":"minio"}'
            unknown provider      | provider        | '{"name":"bad","provider":"ftp"}'
            missing bucket        | bucket          | '{"name":"bad","provider":"minio","s3Url":"http://127.0.0.1:1"}'
            bad bucket            | bucket          | '{"name":"bad","provider":"minio","bucket":"UPPER"}'
            minio without url     | s3Url           | '{"name":"bad","provider":"minio","bucket":"b-1","credentials":{"accessKeyId":"abc","secretAccessKey":"abcdef"}}'
            metadata url          | s3Url           | '{"name":"bad","provider":"minio","bucket":"b-1","s3Url":"http://169.254.169.254/"}'
            ipv6 metadata url     | s3Url           | '{"name":"bad","provider":"minio","bucket":"b-1","s3Url":"http://[fd00:ec2::254]/"}'
            aws without region    | region          | '{"name":"bad","provider":"aws","bucket":"b-1"}'
            aws both credentials  | sts             | '{"name":"bad","provider":"aws","bucket":"b-1","region":"us-east-1","credentials":{"accessKeyId":"abc","secretAccessKey":"abcdef"},"sts":{"roleArn":"arn:aws:iam::123456789012:role/x"}}'
            bad role arn          | sts.roleArn     | '{"name":"bad","provider":"aws","bucket":"b-1","region":"us-east-1","sts":{"roleArn":"nope"}}'
            credentials wrong type| credentials     | '{"name":"bad","provider":"minio","bucket":"b-1","credentials":"abc"}'
            unknown field         | colour          | '{"name":"bad","provider":"minio","colour":"blue"}'
            gcp without key       | jsonCredentials | '{"name":"bad","provider":"gcp","bucket":"b-1"}'
            azure bad guid        | tenantId        | '{"name":"bad","provider":"azure","container":"c-1","storageAccount":"acct1","resourceGroup":"rg","tenantId":"x"}'
            azure bucket field    | bucket          | '{"name":"bad","provider":"azure","bucket":"b-1"}'
            """)
    void malformedRequestsAreRefusedWithTheField(String label, String field, String body) {
        given().contentType(ContentType.JSON).body(body).post("/v1/projects/malformed/locations")
                .then().statusCode(400)
                .body("error.status", equalTo(400))
                .body("error.code", equalTo("InvalidField"))
                .body("error.field", equalTo(field))
                .body("error.message", startsWith(field + ": "));
        given().get("/v1/projects/malformed/locations").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void anInvalidProjectNameIsA400() {
        given().contentType(ContentType.JSON).body(minio("x", "backups", LocalServers.s3.url(), "abc"))
                .post("/v1/projects/Bad_Project/locations")
                .then().statusCode(400).body("error.field", equalTo("project"));
    }

    @Test
    void unknownPathsAnswerInTheSameShape() {
        given().get("/v1/nothing-here").then().statusCode(404).body("error.code", equalTo("NotFound"))
                .body("error.field", nullValue());
    }

    /**
     * Project A holds prefix "tenants/team-a" of bucket backups. B's attempts on the same prefix, a nested one, a
     * parent that holds it and the same endpoint spelt otherwise or reached as an aws location are 409 naming the
     * prefix, without naming A, and leave nothing behind; siblings that share only letters are allowed. Once A deletes
     * its location, its prefix is free.
     */
    @Test
    void aBucketPrefixBelongsToOneLocationAcrossProjects() {
        String url = LocalServers.s3.url();
        given().contentType(ContentType.JSON).body(ApiFixtures.minioOn("vault", url, "tenants/team-a"))
                .post("/v1/projects/tenant-a/locations").then().statusCode(201);
        String[][] refused = {
                {"same", ApiFixtures.minioOn("steal", url, "tenants/team-a")},
                {"nested", ApiFixtures.minioOn("steal", url, "tenants/team-a/x")},
                {"trailing slash", ApiFixtures.minioOn("steal", url, "tenants/team-a/")},
                {"parent", ApiFixtures.minioOn("steal", url, "tenants")},
                {"endpoint spelt otherwise", ApiFixtures.minioOn("steal", url.toUpperCase(java.util.Locale.ROOT) + "/", "tenants/team-a")},
                {"as an aws location", """
                        {"name":"steal","provider":"aws","bucket":"backups","prefix":"tenants/team-a/logs","region":"us-east-1",
                         "s3Url":"%s","forcePathStyle":true,"credentials":{"accessKeyId":"%s","secretAccessKey":"%s"}}"""
                        .formatted(url, LocalServers.s3.accessKey(), LocalServers.s3.secretKey())},
        };
        for (String[] attempt : refused) {
            String answer = given().contentType(ContentType.JSON).body(attempt[1]).post("/v1/projects/tenant-b/locations")
                    .then().statusCode(409).body("error.code", equalTo("Conflict")).body("error.field", equalTo("prefix"))
                    .extract().asString();
            assertFalse(answer.contains("tenant-a") || answer.contains("vault"), attempt[0] + ": " + answer);
            given().get("/v1/projects/tenant-b/locations/steal").then().statusCode(404);
        }
        given().contentType(ContentType.JSON).body(ApiFixtures.minioOn("siblings", url, "tenants/team"))
                .post("/v1/projects/tenant-b/locations").then().statusCode(201);
        given().contentType(ContentType.JSON).body(ApiFixtures.minioOn("siblings-2", url, "tenants/team-a2"))
                .post("/v1/projects/tenant-b/locations").then().statusCode(201);
        given().get("/v1/projects/tenant-b/locations").then().statusCode(200).body("items", hasSize(2));

        given().delete("/v1/projects/tenant-a/locations/vault").then().statusCode(204);
        given().contentType(ContentType.JSON).body(ApiFixtures.minioOn("steal", url, "tenants/team-a/x"))
                .post("/v1/projects/tenant-b/locations").then().statusCode(201);
    }

    /** A location on the whole of a bucket takes all of it: the 409 names the bucket. */
    @Test
    void aLocationOnAWholeBucketLeavesNoPrefixOfItToOthers() {
        String body = """
                {"name":"%s","provider":"minio","bucket":"whole-bucket","s3Url":"%s",
                 "credentials":{"accessKeyId":"%s","secretAccessKey":"%s"}}""";
        given().contentType(ContentType.JSON).body(body.formatted("all", LocalServers.s3.url(), LocalServers.s3.accessKey(),
                LocalServers.s3.secretKey())).post("/v1/projects/whole-a/locations").then().statusCode(201);
        given().contentType(ContentType.JSON).body(body.formatted("part", LocalServers.s3.url(), LocalServers.s3.accessKey(),
                        LocalServers.s3.secretKey()).replace("\"bucket\"", "\"prefix\":\"mine\",\"bucket\""))
                .post("/v1/projects/whole-b/locations").then().statusCode(409).body("error.field", equalTo("bucket"));
        given().get("/v1/projects/whole-b/locations").then().statusCode(200).body("items", hasSize(0));
    }
}
