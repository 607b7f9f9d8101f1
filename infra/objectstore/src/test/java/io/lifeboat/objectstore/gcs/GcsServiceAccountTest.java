package io.lifeboat.objectstore.gcs;

import io.lifeboat.input.EndpointPolicy;
import io.lifeboat.input.FakeDns;
import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.sandbox.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real client path of a GCP location: KeyFileGcsStorageFactory reads a service-account key made here, signs a
 * JWT with it, trades it for an access token at the key's token_uri and calls the JSON API at the location's
 * ENDPOINT. Both are {@link FakeGoogleApis} on loopback, since no GCS server can be had offline.
 */
class GcsServiceAccountTest {
    static final String BUCKET = "lifeboat-backups";
    static final List<String> OBJECTS = new ArrayList<>();
    static FakeGoogleApis google;
    static ServiceAccountKey registeredKey;

    static {
        IntStream.range(0, 30).forEach(i -> OBJECTS.add("clusters/prod/backup-%02d.tar.gz".formatted(i)));
        OBJECTS.add("clusters/staging/backup-00.tar.gz");
    }

    @BeforeAll
    static void start() throws Exception {
        ServiceAccountKey placeholder = ServiceAccountKey.generate("http://unused");
        google = new FakeGoogleApis(placeholder.keyPair().getPublic(), BUCKET, OBJECTS);
        registeredKey = new ServiceAccountKey(placeholder.keyPair(),
                ServiceAccountKey.json(ServiceAccountKey.privateKeyPem(placeholder.keyPair()), google.tokenUri()));
    }

    @AfterAll
    static void stop() {
        google.close();
    }

    static Location location(String bucket, String keyJson, String endpoint) {
        Map<LocationField, String> fields = new EnumMap<>(LocationField.class);
        fields.put(LocationField.JSON_CREDENTIALS, keyJson);
        fields.put(LocationField.ENDPOINT, endpoint);
        return new Location("p1", "gcs", Provider.GCP, bucket, "clusters/", fields, LocationStatus.pending(),
                Instant.now());
    }

    @Test
    void listsEveryPageWithTheTokenTheKeyEarned() {
        google.storageRequests.clear();
        try (GcsObjectStore store = GcsObjectStore.open(location(BUCKET, registeredKey.json(), google.url()),
                new KeyFileGcsStorageFactory(OutboundPolicy.localMode()), 7)) {
            store.checkBucket();
            google.storageRequests.clear();

            List<String> keys = store.list("clusters/prod/");

            assertEquals(OBJECTS.subList(0, 30), keys);
            assertEquals(5, google.storageRequests.size(), "30 objects in pages of 7");
            String query = google.storageRequests.get(0).getQuery();
            assertTrue(query.contains("maxResults=7"), query);
            // a real server leaves out every field the selector does not name: the page token must be named
            assertTrue(query.contains("nextPageToken"), query);
        }
        assertTrue(google.tokenRequests.contains("urn:ietf:params:oauth:grant-type:jwt-bearer"));
    }

    @Test
    void missingBucketIsNoSuchBucket() {
        try (GcsObjectStore store = GcsObjectStore.open(location("no-such-bucket", registeredKey.json(), google.url()),
                new KeyFileGcsStorageFactory(OutboundPolicy.localMode()))) {
            StoreException check = assertThrows(StoreException.class, store::checkBucket);
            assertEquals("NoSuchBucket", check.reason());
            assertTrue(check.getMessage().contains("no-such-bucket"), check.getMessage());
            assertEquals("NoSuchBucket", assertThrows(StoreException.class, () -> store.list("clusters/")).reason());
        }
    }

    @Test
    void bucketTheServiceAccountMayNotListIsAccessDenied() {
        try (GcsObjectStore store = GcsObjectStore.open(
                location(FakeGoogleApis.FORBIDDEN_BUCKET, registeredKey.json(), google.url()),
                new KeyFileGcsStorageFactory(OutboundPolicy.localMode()))) {
            StoreException e = assertThrows(StoreException.class, store::checkBucket);
            assertEquals("AccessDenied", e.reason());
            assertTrue(e.getMessage().contains("storage.objects.list"), e.getMessage());
            assertFalse(e.getMessage().contains("denied on resource"), "GCS's text is not echoed: " + e.getMessage());
        }
    }

    @Test
    void keyTheTokenEndpointRefusesIsInvalidCredentialsAndTheKeyStaysOut() {
        ServiceAccountKey unknownKey = ServiceAccountKey.generate(google.tokenUri());
        google.storageRequests.clear();
        try (GcsObjectStore store = GcsObjectStore.open(location(BUCKET, unknownKey.json(), google.url()),
                new KeyFileGcsStorageFactory(OutboundPolicy.localMode()))) {
            StoreException e = fastFailure(store::checkBucket);
            assertEquals("InvalidCredentials", e.reason());
            assertTrue(e.getMessage().contains("invalid_grant"), e.getMessage());
            assertFalse(e.getMessage().contains("Invalid JWT Signature"), "the token endpoint's text is not echoed: " + e.getMessage());
            assertNoKeyIn(e, unknownKey);
        }
        assertTrue(google.storageRequests.isEmpty(), "no storage call without a token");
    }

    @Test
    void unreadableKeyIsInvalidCredentialsAndTheKeyStaysOut() {
        ServiceAccountKey key = ServiceAccountKey.generate(google.tokenUri());
        String truncated = key.json().substring(0, key.json().indexOf("\"client_email\""));
        String brokenPem = key.json().replace("MII", "XXX");
        for (String json : List.of(truncated, brokenPem, "{\"type\":\"authorized_user\"}")) {
            StoreException e = assertThrows(StoreException.class,
                    () -> GcsObjectStore.open(location(BUCKET, json, google.url()), new KeyFileGcsStorageFactory(OutboundPolicy.localMode())));
            assertEquals("InvalidCredentials", e.reason());
            assertNoKeyIn(e, key);
        }
    }

    @Test
    void unknownEndpointHostIsUnknownHost() {
        try (GcsObjectStore store = GcsObjectStore.open(
                location(BUCKET, registeredKey.json(), "http://gcs.lifeboat-test.invalid"), new KeyFileGcsStorageFactory(OutboundPolicy.localMode()))) {
            StoreException e = fastFailure(store::checkBucket);
            assertEquals("UnknownHost", e.reason(), e.getMessage());
        }
    }

    @Test
    void closedEndpointPortIsConnectionRefused() {
        String closed = "http://127.0.0.1:" + Ports.free();
        try (GcsObjectStore store = GcsObjectStore.open(location(BUCKET, registeredKey.json(), closed),
                new KeyFileGcsStorageFactory(OutboundPolicy.localMode()))) {
            StoreException e = fastFailure(store::checkBucket);
            assertEquals("ConnectionRefused", e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(closed), e.getMessage());
        }
    }

    @Test
    void unreachableTokenEndpointIsNamedAsSuch() {
        String closedTokenUri = "http://127.0.0.1:" + Ports.free() + "/token";
        String json = ServiceAccountKey.json(ServiceAccountKey.privateKeyPem(registeredKey.keyPair()), closedTokenUri);
        try (GcsObjectStore store = GcsObjectStore.open(location(BUCKET, json, google.url()),
                new KeyFileGcsStorageFactory(OutboundPolicy.localMode()))) {
            StoreException e = fastFailure(store::checkBucket);
            assertEquals("ConnectionRefused", e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(closedTokenUri), e.getMessage());
        }
    }

    /** Saved while it resolved to loopback, then rebound to the metadata address: refused when the client connects. */
    @Test
    void anEndpointThatRebindsToMetadataIsRefused() {
        FakeDns dns = new FakeDns(Map.of("rebind.test", List.of("127.0.0.1", "169.254.169.254")));
        OutboundPolicy policy = OutboundPolicy.localMode().withResolver(dns);
        String endpoint = "http://rebind.test:" + java.net.URI.create(google.url()).getPort();
        new EndpointPolicy(policy).requireUrl("endpoint", endpoint);
        int before = google.storageRequests.size();
        try (GcsObjectStore store = GcsObjectStore.open(location(BUCKET, registeredKey.json(), endpoint),
                new KeyFileGcsStorageFactory(policy))) {
            StoreException e = fastFailure(store::checkBucket);
            assertEquals("AddressNotAllowed", e.reason(), e.getMessage());
        }
        assertEquals(before, google.storageRequests.size());
    }

    /** The key's token_uri is the attacker's too: a metadata name, a name resolving to metadata, NAT64 or private. */
    @Test
    void aTokenUriAtAForbiddenAddressIsRefused() {
        FakeDns dns = new FakeDns(Map.of("imds.test", List.of("169.254.169.254"), "private.test", List.of("10.0.0.1")));
        OutboundPolicy policy = OutboundPolicy.localMode().withResolver(dns);
        for (String tokenUri : List.of("http://metadata.google.internal./computeMetadata/v1/token",
                "http://imds.test/token", "http://private.test/token", "http://[64:ff9b::a9fe:a9fe]/token",
                "http://0.0.0.0:" + java.net.URI.create(google.url()).getPort() + "/token")) {
            String json = ServiceAccountKey.json(ServiceAccountKey.privateKeyPem(registeredKey.keyPair()), tokenUri);
            int tokens = google.tokenRequests.size();
            try (GcsObjectStore store = GcsObjectStore.open(location(BUCKET, json, google.url()),
                    new KeyFileGcsStorageFactory(policy))) {
                StoreException e = fastFailure(store::checkBucket);
                assertEquals("AddressNotAllowed", e.reason(), tokenUri + ": " + e.getMessage());
            }
            assertEquals(tokens, google.tokenRequests.size(), tokenUri);
        }
    }

    /** A token_uri that redirects to the real token endpoint (on loopback, so it would count the request): not followed. */
    @Test
    void aRedirectFromTheTokenUriIsNotFollowed() throws Exception {
        com.sun.net.httpserver.HttpServer redirecting = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        redirecting.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", google.tokenUri());
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        redirecting.start();
        try {
            String json = ServiceAccountKey.json(ServiceAccountKey.privateKeyPem(registeredKey.keyPair()),
                    "http://127.0.0.1:" + redirecting.getAddress().getPort() + "/token");
            int tokens = google.tokenRequests.size();
            try (GcsObjectStore store = GcsObjectStore.open(location(BUCKET, json, google.url()),
                    new KeyFileGcsStorageFactory(OutboundPolicy.localMode()))) {
                fastFailure(store::checkBucket);
            }
            assertEquals(tokens, google.tokenRequests.size(), "the token_uri's redirect was followed");
        } finally {
            redirecting.stop(0);
        }
    }

    @Test
    void loopbackIsRefusedOutsideLocalMode() {
        int before = google.tokenRequests.size();
        try (GcsObjectStore store = GcsObjectStore.open(location(BUCKET, registeredKey.json(), google.url()),
                new KeyFileGcsStorageFactory(OutboundPolicy.production()))) {
            StoreException e = fastFailure(store::checkBucket);
            assertEquals("AddressNotAllowed", e.reason(), e.getMessage());
        }
        assertEquals(before, google.tokenRequests.size());
    }

    /** A wrong location must fail in seconds, not after minutes of retries. */
    private static StoreException fastFailure(Executable call) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(StoreException.class, call));
    }

    private static void assertNoKeyIn(StoreException e, ServiceAccountKey key) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            for (String line : key.privateKeyLines()) {
                assertFalse(message.contains(line), "a private key line leaked into: " + message);
            }
            assertFalse(message.contains("PRIVATE KEY"), message);
        }
    }
}
