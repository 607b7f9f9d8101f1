package io.lifeboat.objectstore.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.input.OutboundPolicy;
import com.sun.net.httpserver.HttpServer;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationProbe;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.s3.S3Clients;
import io.lifeboat.sandbox.s3proxy.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** aws and minio locations against a real S3 server (s3proxy), over HTTP and HTTPS. */
class S3CompatibleLocationsTest {
    @TempDir
    static Path work;
    static S3ProxyServer s3proxy;
    static HttpServer sts;
    static final List<String> stsRequests = new CopyOnWriteArrayList<>();
    /** The same requests' form parameters, each decoded on its own (a session policy holds '&' and '='). */
    static final List<Map<String, String>> stsForms = new CopyOnWriteArrayList<>();

    final ProviderObjectStoreFactory factory = ProviderObjectStoreFactory.standard(new S3Clients.StsAccess(
            URI.create("http://127.0.0.1:" + sts.getAddress().getPort()),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("base-key", "base-secret"))),
            OutboundPolicy.localMode());
    final LocationProbe probe = new LocationProbe(factory, Clock.systemUTC());

    @BeforeAll
    static void start() throws Exception {
        s3proxy = S3ProxyServer.builder().withHttps(work.resolve("tls")).workFolder(work).start();
        try (S3Client admin = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(URI.create(s3proxy.url()))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3proxy.accessKey(), s3proxy.secretKey()))).build()) {
            admin.createBucket(r -> r.bucket("backups"));
        }
        sts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sts.createContext("/", exchange -> {
            String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            stsRequests.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
            stsForms.add(io.lifeboat.objectstore.HttpStubs.form(raw));
            String xml = """
                    <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
                    <Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>
                    <SessionToken>session-token</SessionToken><Expiration>%s</Expiration></Credentials>
                    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/lifeboat/s</Arn>
                    <AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult>
                    <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>"""
                    .formatted(s3proxy.accessKey(), s3proxy.secretKey(), Instant.now().plusSeconds(3600));
            byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        sts.start();
    }

    @AfterAll
    static void stop() {
        s3proxy.close();
        sts.stop(0);
    }

    private Location location(Provider provider, String bucket, String url, String accessKey, String secretKey,
                              Map<LocationField, String> extra) {
        Map<LocationField, String> f = new EnumMap<>(LocationField.class);
        f.put(LocationField.REGION, "us-east-1");
        f.put(LocationField.S3_URL, url);
        f.put(LocationField.FORCE_PATH_STYLE, "true");
        if (accessKey != null) {
            f.put(LocationField.ACCESS_KEY_ID, accessKey);
            f.put(LocationField.SECRET_ACCESS_KEY, secretKey);
        }
        f.putAll(extra);
        return new Location("default", "l", provider, bucket, "team-a", f, LocationStatus.pending(), Instant.now());
    }

    private Location good(Provider provider) {
        return location(provider, "backups", s3proxy.url(), s3proxy.accessKey(), s3proxy.secretKey(), Map.of());
    }

    @Test
    void availableOverHttpWithBothSdks() {
        for (Provider provider : List.of(Provider.AWS, Provider.MINIO)) {
            LocationStatus status = probe.probe(good(provider));
            assertEquals(LocationStatus.Phase.Available, status.phase(), provider + ": " + status.message());
        }
    }

    @Test
    void wrongBucketIsNoSuchBucket() {
        for (Provider provider : List.of(Provider.AWS, Provider.MINIO)) {
            LocationStatus status = probe.probe(location(provider, "no-such-bucket", s3proxy.url(),
                    s3proxy.accessKey(), s3proxy.secretKey(), Map.of()));
            assertEquals(LocationStatus.Phase.Unavailable, status.phase());
            assertEquals(LocationStatus.Reason.NoSuchBucket, status.reason(), provider + ": " + status.message());
        }
    }

    @Test
    void wrongCredentialsAreRefusedWithoutShowingThem() {
        for (Provider provider : List.of(Provider.AWS, Provider.MINIO)) {
            LocationStatus status = probe.probe(location(provider, "backups", s3proxy.url(),
                    "AKIAWRONGWRONGWRONG", "wrong-secret-key-value", Map.of()));
            assertEquals(LocationStatus.Phase.Unavailable, status.phase());
            assertTrue(List.of(LocationStatus.Reason.InvalidAccessKeyId, LocationStatus.Reason.SignatureDoesNotMatch, LocationStatus.Reason.AccessDenied).contains(status.reason()),
                    provider + ": " + status.reason() + " " + status.message());
            assertFalse(status.message().contains("wrong-secret-key-value"), status.message());
            assertFalse(status.message().contains("AKIAWRONGWRONGWRONG"), status.message());
        }
    }

    @Test
    void unknownHostIsNamed() {
        LocationStatus status = probe.probe(location(Provider.MINIO, "backups", "http://no-such-host.invalid:9000",
                "a-key", "a-secret", Map.of()));
        assertEquals(LocationStatus.Reason.UnknownHost, status.reason(), status.message());
    }

    @Test
    void httpsWithTheCaCertificateIsAvailable() {
        Location l = location(Provider.MINIO, "backups", s3proxy.secureUrl(), s3proxy.accessKey(), s3proxy.secretKey(),
                Map.of(LocationField.CA_CERTIFICATE, s3proxy.certificate().certificatePem()));
        LocationStatus status = probe.probe(l);
        assertEquals(LocationStatus.Phase.Available, status.phase(), status.message());
    }

    @Test
    void httpsWithoutTheCaCertificateIsACertificateError() {
        LocationStatus status = probe.probe(location(Provider.MINIO, "backups", s3proxy.secureUrl(),
                s3proxy.accessKey(), s3proxy.secretKey(), Map.of()));
        assertEquals(LocationStatus.Phase.Unavailable, status.phase());
        assertEquals(LocationStatus.Reason.CertificateError, status.reason(), status.message());
        assertTrue(status.message().contains("certificate"), status.message());
    }

    /**
     * s3proxy answers 501 to requests that carry a session token, so the assumed credentials are checked against a
     * recording S3 endpoint: the request must be signed with the role's keys and carry its session token.
     */
    @Test
    void stsRoleIsAssumedWithTheExternalIdAndItsCredentialsSignTheRequests() throws Exception {
        List<String> s3Requests = new CopyOnWriteArrayList<>();
        HttpServer recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        recorder.createContext("/", exchange -> {
            s3Requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    + "?" + exchange.getRequestURI().getRawQuery()
                    + " auth=" + exchange.getRequestHeaders().getFirst("Authorization")
                    + " token=" + exchange.getRequestHeaders().getFirst("x-amz-security-token"));
            byte[] location = "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(200, location.length);
            exchange.getResponseBody().write(location);
            exchange.close();
        });
        recorder.start();
        try {
            Location l = location(Provider.AWS, "backups", "http://127.0.0.1:" + recorder.getAddress().getPort(),
                    null, null, Map.of(LocationField.ROLE_ARN, "arn:aws:iam::123456789012:role/lifeboat",
                            LocationField.EXTERNAL_ID, "tenant-42"));
            try (ObjectStore store = factory.open(l)) {
                store.checkBucket();
            }
        } finally {
            recorder.stop(0);
        }
        String request = stsRequests.get(stsRequests.size() - 1);
        assertTrue(request.contains("Action=AssumeRole"), request);
        assertTrue(request.contains("RoleArn=arn:aws:iam::123456789012:role/lifeboat"), request);
        assertTrue(request.contains("ExternalId=tenant-42"), request);
        // the session is limited to the location's bucket and prefix, whatever the shared role allows
        JsonNode policy = new ObjectMapper().readTree(stsForms.get(stsForms.size() - 1).get("Policy"));
        assertEquals("2012-10-17", policy.path("Version").asText());
        Map<String, JsonNode> byAction = new java.util.TreeMap<>();
        policy.path("Statement").forEach(st -> {
            assertEquals("Allow", st.path("Effect").asText());
            st.path("Action").forEach(a -> byAction.put(a.asText(), st));
        });
        assertEquals(java.util.Set.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
                "s3:PutObjectRetention", "s3:GetObjectRetention", "s3:DeleteObjectVersion",
                "s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketLocation", "s3:GetBucketObjectLockConfiguration",
                "ec2:DescribeVolumes", "ec2:DescribeSnapshots", "ec2:DescribeInstances",
                "ec2:CreateSnapshot", "ec2:DeleteSnapshot", "ec2:CreateVolume", "ec2:CreateTags"), byAction.keySet());
        for (String objects : List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
                "s3:PutObjectRetention", "s3:GetObjectRetention", "s3:DeleteObjectVersion")) {
            assertEquals("arn:aws:s3:::backups/team-a/*", byAction.get(objects).path("Resource").asText(), objects);
        }
        assertEquals("arn:aws:s3:::backups", byAction.get("s3:ListBucket").path("Resource").asText());
        assertEquals("team-a/*", byAction.get("s3:ListBucket").path("Condition").path("StringLike").path("s3:prefix").asText());
        assertEquals("arn:aws:s3:::backups", byAction.get("s3:GetBucketLocation").path("Resource").asText());
        assertEquals(1, s3Requests.size(), s3Requests.toString());
        // HeadBucket needs a listing of the whole bucket, which the session may not do: the check asks for its region
        assertTrue(s3Requests.get(0).startsWith("GET /backups?location"), s3Requests.get(0));
        assertTrue(s3Requests.get(0).contains("Credential=" + s3proxy.accessKey() + "/"), s3Requests.get(0));
        assertTrue(s3Requests.get(0).contains("token=session-token"), s3Requests.get(0));
    }

    @Test
    void listingReturnsEveryPage() {
        for (Provider provider : List.of(Provider.AWS, Provider.MINIO)) {
            try (ObjectStore store = factory.open(good(provider))) {
                String prefix = "team-a/backups/paging-" + provider.wireName() + "/";
                IntStream.range(0, 1005).forEach(i -> store.put(prefix + String.format("%05d", i), new byte[]{1}));
                List<String> keys = store.list(prefix);
                assertEquals(1005, keys.size(), provider.toString());
                assertEquals(prefix + "01004", keys.get(1004));
                keys.forEach(store::delete);
                assertTrue(store.list(prefix).isEmpty());
            }
        }
    }

    @Test
    void streamedUploadsCommitAbortAndReadBack() throws Exception {
        byte[] big = new byte[20 * 1024 * 1024 + 123];
        new java.util.Random(7).nextBytes(big);
        for (Provider provider : List.of(Provider.AWS, Provider.MINIO)) {
            try (ObjectStore store = factory.open(good(provider))) {
                String key = "team-a/backups/stream-" + provider.wireName() + "/archive.tar.gz";
                io.lifeboat.objectstore.Upload upload = store.upload(key);
                for (int off = 0; off < big.length; off += 100_000) {
                    upload.write(big, off, Math.min(100_000, big.length - off));
                }
                assertTrue(store.list("team-a/backups/stream-" + provider.wireName()).isEmpty(),
                        "nothing is visible before commit");
                assertEquals(big.length, upload.commit());
                assertTrue(upload.verifiedByStore(), provider + ": every part's ETag is its MD5");
                assertEquals(big.length, store.size(key), provider.toString());
                try (java.io.InputStream in = store.download(key)) {
                    assertTrue(java.util.Arrays.equals(big, in.readAllBytes()), provider.toString());
                }
                store.delete(key);

                String aborted = "team-a/backups/stream-" + provider.wireName() + "/aborted.tar.gz";
                io.lifeboat.objectstore.Upload dropped = store.upload(aborted);
                dropped.write(big, 0, 9 * 1024 * 1024);
                dropped.abort();
                assertTrue(store.list("team-a/backups/stream-" + provider.wireName()).isEmpty(), provider.toString());

                String small = "team-a/backups/stream-" + provider.wireName() + "/small.json";
                io.lifeboat.objectstore.Upload tiny = store.upload(small);
                tiny.write("{}".getBytes(StandardCharsets.UTF_8));
                assertEquals(2, tiny.commit());
                assertTrue(tiny.verifiedByStore(), provider + ": the PUT's ETag is its MD5");
                assertEquals("{}", new String(store.get(small), StandardCharsets.UTF_8));
                store.delete(small);
            }
        }
    }

    @Test
    void aMissingObjectIsNoSuchKey() {
        for (Provider provider : List.of(Provider.AWS, Provider.MINIO)) {
            try (ObjectStore store = factory.open(good(provider))) {
                io.lifeboat.objectstore.StoreException e = org.junit.jupiter.api.Assertions.assertThrows(
                        io.lifeboat.objectstore.StoreException.class, () -> store.size("team-a/nothing-here"));
                assertTrue(List.of("NoSuchKey", "NotFound", "NoSuchBucket").contains(e.reason()), provider + " " + e.reason());
            }
        }
    }
}
