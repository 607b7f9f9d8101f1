package io.lifeboat.objectstore.azure;

import io.lifeboat.input.EndpointPolicy;
import io.lifeboat.input.FakeDns;
import io.lifeboat.input.OutboundPolicy;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.sandbox.Ports;
import io.lifeboat.sandbox.azurite.AzuriteServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Azure locations end to end against Azurite over HTTPS with OAuth: ClientSecretContainerFactory gets a token from
 * a local Entra ID token endpoint (client-credentials grant) and Azurite accepts it. Both servers use one
 * self-signed certificate, trusted by the store's HTTP client only.
 */
class AzureBlobObjectStoreTest {
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String CLIENT = "0f3c3b4e-1d2a-4c5b-9e8f-7a6b5c4d3e2f";
    static final String SECRET = "lifeboat~Test.Secret_0123456789abcdefXYZ";
    static final String CONTAINER = "backups";

    @TempDir
    static Path work;
    static AzuriteServer azurite;
    static FakeEntraId entraId;
    static RecordingHttpClient http;
    static final List<StoreException> failures = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        azurite = AzuriteServer.builder().workFolder(work).withHttpsAndOAuth(work.resolve("tls")).start();
        entraId = new FakeEntraId(azurite.certificate(), TENANT, CLIENT, SECRET);
        http = new RecordingHttpClient(AzureHttpClients.trustingOnly(azurite.certificate().certificatePem(), OutboundPolicy.localMode()));
        new BlobServiceClientBuilder().connectionString(azurite.connectionString()).httpClient(http).buildClient()
                .createBlobContainer(CONTAINER);
    }

    @AfterAll
    static void stop() {
        if (entraId != null) {
            entraId.close();
        }
        if (azurite != null) {
            azurite.close();
        }
        // every message a test saw, whatever it asserted: none may carry the client secret
        for (StoreException e : failures) {
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
            assertFalse(e.getMessage().contains("Test.Secret"), e.getMessage());
        }
    }

    static Location location(String container, String clientSecret, String endpoint) {
        Map<LocationField, String> fields = new EnumMap<>(LocationField.class);
        fields.put(LocationField.STORAGE_ACCOUNT, AzuriteServer.ACCOUNT_NAME);
        fields.put(LocationField.TENANT_ID, TENANT);
        fields.put(LocationField.CLIENT_ID, CLIENT);
        fields.put(LocationField.CLIENT_SECRET, clientSecret);
        fields.put(LocationField.SUBSCRIPTION_ID, "00000000-0000-0000-0000-000000000000");
        fields.put(LocationField.RESOURCE_GROUP, "lifeboat");
        fields.put(LocationField.ENDPOINT, endpoint);
        fields.put(LocationField.AUTHORITY_HOST, entraId.authorityHost());
        return new Location("p1", "azure", Provider.AZURE, container, "clusters/", fields, LocationStatus.pending(),
                Instant.now());
    }

    static Location location(String container, String clientSecret) {
        return location(container, clientSecret, azurite.blobEndpoint());
    }

    @Test
    void writesReadsListsEveryPageAndDeletesWithAClientSecretToken() {
        int tokenRequests = entraId.requests.size();
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(location(CONTAINER, SECRET),
                new ClientSecretContainerFactory(http), 7)) {
            store.checkBucket();
            List<String> keys = IntStream.range(0, 30).mapToObj("clusters/prod/backup-%02d.tar.gz"::formatted).toList();
            for (String key : keys) {
                store.put(key, key.getBytes(StandardCharsets.UTF_8));
            }
            store.put("clusters/production/other.tar.gz", new byte[0]);
            store.put(keys.get(3), "replaced".getBytes(StandardCharsets.UTF_8));

            assertArrayEquals("replaced".getBytes(StandardCharsets.UTF_8), store.get(keys.get(3)));
            assertArrayEquals(keys.get(4).getBytes(StandardCharsets.UTF_8), store.get(keys.get(4)));
            assertArrayEquals(new byte[0], store.get("clusters/production/other.tar.gz"));

            http.urls.clear();
            assertEquals(keys, store.list("clusters/prod/"));
            List<String> listCalls = http.urls.stream().filter(u -> u.contains("comp=list")).toList();
            assertEquals(5, listCalls.size(), "30 blobs in pages of 7: " + listCalls);
            assertTrue(listCalls.get(0).contains("maxresults=7"), listCalls.get(0));
            assertEquals(31, store.list("clusters/").size());

            for (String key : keys) {
                store.delete(key);
            }
            store.delete(keys.get(0));
            assertEquals(List.of(), store.list("clusters/prod/"));
            StoreException gone = record(assertThrows(StoreException.class, () -> store.get(keys.get(0))));
            assertEquals("NoSuchKey", gone.reason(), gone.getMessage());
            store.delete("clusters/production/other.tar.gz");
        }
        assertTrue(entraId.requests.size() > tokenRequests, "the credential asked the token endpoint");
        assertTrue(entraId.requests.stream().allMatch(r -> r.equals("POST /" + TENANT + "/oauth2/v2.0/token")),
                "only token requests, no instance or metadata discovery: " + entraId.requests);
    }

    @Test
    void streamedUploadsCommitAbortAndReadBack() throws Exception {
        byte[] big = new byte[17 * 1024 * 1024 + 5];
        new java.util.Random(3).nextBytes(big);
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(location(CONTAINER, SECRET),
                new ClientSecretContainerFactory(http), 7)) {
            io.lifeboat.objectstore.Upload upload = store.upload("stream/archive.tar.gz");
            for (int off = 0; off < big.length; off += 1 << 20) {
                upload.write(big, off, Math.min(1 << 20, big.length - off));
            }
            assertEquals(big.length, upload.commit());
            assertTrue(upload.verifiedByStore(), "every block was accepted with its MD5");
            assertEquals(big.length, store.size("stream/archive.tar.gz"));
            try (java.io.InputStream in = store.download("stream/archive.tar.gz")) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(big, in.readAllBytes());
            }
            io.lifeboat.objectstore.Upload dropped = store.upload("stream/aborted.tar.gz");
            dropped.write(big, 0, 9 * 1024 * 1024);
            dropped.abort();
            assertEquals(java.util.List.of("stream/archive.tar.gz"), store.list("stream/"));
            store.delete("stream/archive.tar.gz");
        }
    }

    /**
     * Every block and every single Put Blob carries its MD5, which Azurite checks as Azure does: a block whose bytes
     * change on the way is refused (Md5Mismatch), the upload fails as VerificationFailed naming the block, and nothing
     * is committed.
     */
    @Test
    void aBlockThatChangedOnTheWayIsRefusedAndNothingIsCommitted() {
        byte[] big = new byte[17 * 1024 * 1024 + 5];
        new java.util.Random(4).nextBytes(big);
        TamperingHttpClient honest = new TamperingHttpClient(http, request -> false);
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(location(CONTAINER, SECRET),
                new ClientSecretContainerFactory(honest))) {
            io.lifeboat.objectstore.Upload upload = store.upload("checked/whole.tar.gz");
            upload.write(big, 0, big.length);
            upload.commit();
            assertTrue(upload.verifiedByStore());
            List<String> blocks = honest.requests.stream().filter(r -> r.contains("comp=block&")).toList();
            assertEquals(3, blocks.size(), honest.requests.toString());
            blocks.forEach(r -> assertFalse(r.endsWith("Content-MD5=null"), r));
            store.delete("checked/whole.tar.gz");
        }

        TamperingHttpClient tampering = new TamperingHttpClient(http, request -> blockNumber(request) == 2);
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(location(CONTAINER, SECRET),
                new ClientSecretContainerFactory(tampering))) {
            io.lifeboat.objectstore.Upload upload = store.upload("checked/changed.tar.gz");
            StoreException e = record(assertThrows(StoreException.class, () -> {
                upload.write(big, 0, big.length);
                upload.commit();
            }));
            assertEquals("VerificationFailed", e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("block 2 of checked/changed.tar.gz"), e.getMessage());
            assertTrue(e.getMessage().contains("Md5Mismatch"), e.getMessage());
            upload.abort();
            assertEquals(List.of(), store.list("checked/"));
            assertTrue(tampering.requests.stream().noneMatch(r -> r.contains("comp=blocklist")), "never committed");
        }
    }

    @Test
    void aSmallBlobThatChangedOnTheWayIsRefused() {
        TamperingHttpClient tampering = new TamperingHttpClient(http,
                request -> request.getHttpMethod() == com.azure.core.http.HttpMethod.PUT
                        && request.getUrl().getQuery() == null);
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(location(CONTAINER, SECRET),
                new ClientSecretContainerFactory(tampering))) {
            io.lifeboat.objectstore.Upload upload = store.upload("checked/small.json.gz");
            byte[] manifest = "a small manifest".getBytes(StandardCharsets.UTF_8);
            upload.write(manifest, 0, manifest.length);
            StoreException e = record(assertThrows(StoreException.class, upload::commit));
            assertEquals("VerificationFailed", e.reason(), e.getMessage());
            assertEquals(List.of(), store.list("checked/small"));
        }
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(location(CONTAINER, SECRET),
                new ClientSecretContainerFactory(http))) {
            io.lifeboat.objectstore.Upload upload = store.upload("checked/small.json.gz");
            byte[] manifest = "a small manifest".getBytes(StandardCharsets.UTF_8);
            upload.write(manifest, 0, manifest.length);
            upload.commit();
            assertTrue(upload.verifiedByStore());
            assertEquals("a small manifest", new String(store.get("checked/small.json.gz"), StandardCharsets.UTF_8));
            store.delete("checked/small.json.gz");
        }
    }

    /** The number of a Put Block request's block, from its block ID; 0 for other requests. */
    private static int blockNumber(com.azure.core.http.HttpRequest request) {
        String query = request.getUrl().getQuery();
        if (query == null || !query.contains("comp=block&")) {
            return 0;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("blockid=")) {
                String id = new String(java.util.Base64.getDecoder().decode(java.net.URLDecoder.decode(
                        pair.substring("blockid=".length()), StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
                return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
            }
        }
        return 0;
    }

    @Test
    void missingContainerIsNoSuchBucket() {
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(location("no-such-container", SECRET),
                new ClientSecretContainerFactory(http))) {
            for (Executable call : List.<Executable>of(store::checkBucket, () -> store.list("clusters/"),
                    () -> store.put("clusters/x", new byte[1]), () -> store.delete("clusters/x"))) {
                StoreException e = record(assertThrows(StoreException.class, call));
                assertEquals("NoSuchBucket", e.reason(), e.getMessage());
                assertTrue(e.getMessage().contains("no-such-container"), e.getMessage());
            }
        }
    }

    @Test
    void wrongClientSecretIsInvalidCredentialsWithoutTheSecret() {
        String wrongSecret = "lifeboat~Wrong.Secret_9876543210zyxwvuABC";
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(location(CONTAINER, wrongSecret),
                new ClientSecretContainerFactory(http))) {
            StoreException e = record(fastFailure(store::checkBucket));
            assertEquals("InvalidCredentials", e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("AADSTS7000215"), e.getMessage());
            assertFalse(e.getMessage().contains("Invalid client secret"), "Entra ID's text is not echoed: " + e.getMessage());
            assertFalse(e.getMessage().contains(wrongSecret), e.getMessage());
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(wrongSecret), "the cause " + t + " leaks");
            }
        }
    }

    @Test
    void tokenTheBlobServiceRefusesIsAccessDenied() {
        entraId.audience = "https://vault.azure.net";
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(location(CONTAINER, SECRET),
                new ClientSecretContainerFactory(http))) {
            StoreException e = record(assertThrows(StoreException.class, store::checkBucket));
            assertEquals("AccessDenied", e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("AuthenticationFailed"), e.getMessage());
        } finally {
            entraId.audience = "https://storage.azure.com";
        }
    }

    @Test
    void untrustedCertificateIsCertificateError() {
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(location(CONTAINER, SECRET),
                new ClientSecretContainerFactory(AzureHttpClients.standard(OutboundPolicy.localMode())))) {
            StoreException e = record(fastFailure(store::checkBucket));
            assertEquals("CertificateError", e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(entraId.authorityHost()), "names the token endpoint: " + e.getMessage());
        }
    }

    @Test
    void unknownBlobHostIsUnknownHost() {
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(
                location(CONTAINER, SECRET, "https://lifeboat-test.invalid/" + AzuriteServer.ACCOUNT_NAME),
                new ClientSecretContainerFactory(http))) {
            StoreException e = record(fastFailure(store::checkBucket));
            assertEquals("UnknownHost", e.reason(), e.getMessage());
        }
    }

    @Test
    void closedBlobPortIsConnectionRefused() {
        String closed = "https://127.0.0.1:" + Ports.free() + "/" + AzuriteServer.ACCOUNT_NAME;
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(location(CONTAINER, SECRET, closed),
                new ClientSecretContainerFactory(http))) {
            StoreException e = record(fastFailure(store::checkBucket));
            assertEquals("ConnectionRefused", e.reason(), e.getMessage());
        }
    }

    @Test
    void plainHttpEndpointIsRefusedBeforeAnyTokenIsSent() {
        StoreException e = record(assertThrows(StoreException.class, () -> AzureBlobObjectStore.open(
                location(CONTAINER, SECRET, "http://127.0.0.1:10000/devstoreaccount1"),
                new ClientSecretContainerFactory(http))));
        assertEquals("InvalidLocation", e.reason(), e.getMessage());
    }

    /** A wrong location must fail in seconds, not after minutes of retries. */
    private static StoreException fastFailure(Executable call) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(StoreException.class, call));
    }

    private static StoreException record(StoreException e) {
        synchronized (failures) {
            failures.add(e);
        }
        return e;
    }

    /** The blob endpoint and Entra ID's authority host are checked when the client connects, not only when saved. */
    @Test
    void anEndpointOrAuthorityHostAtAForbiddenAddressIsRefused() {
        FakeDns dns = new FakeDns(Map.of("rebind.test", List.of("127.0.0.1", "169.254.169.254"),
                "imds.test", List.of("169.254.169.254"), "private.test", List.of("192.168.1.1")));
        OutboundPolicy policy = OutboundPolicy.localMode().withResolver(dns);
        int port = java.net.URI.create(azurite.blobEndpoint()).getPort();
        String rebinding = "https://rebind.test:" + port + "/" + AzuriteServer.ACCOUNT_NAME;
        new EndpointPolicy(policy).requireUrl("endpoint", rebinding);
        ClientSecretContainerFactory factory = new ClientSecretContainerFactory(
                AzureHttpClients.trustingOnly(azurite.certificate().certificatePem(), policy));
        List<Location> hostile = new ArrayList<>();
        hostile.add(location(CONTAINER, SECRET, rebinding));
        hostile.add(location(CONTAINER, SECRET, "https://0.0.0.0:" + port + "/" + AzuriteServer.ACCOUNT_NAME));
        for (String authority : List.of("https://imds.test/", "https://private.test/", "https://metadata.google.internal./",
                "https://[::ffff:169.254.169.254]/")) {
            Location l = location(CONTAINER, SECRET);
            Map<LocationField, String> fields = new EnumMap<>(l.fields());
            fields.put(LocationField.AUTHORITY_HOST, authority);
            hostile.add(new Location(l.project(), l.name(), l.provider(), l.bucket(), l.prefix(), fields, l.status(),
                    l.createdAt()));
        }
        for (Location l : hostile) {
            try (AzureBlobObjectStore store = AzureBlobObjectStore.open(l, factory)) {
                StoreException e = assertThrows(StoreException.class, store::checkBucket);
                failures.add(e);
                assertEquals("AddressNotAllowed", e.reason(), l.field(LocationField.ENDPOINT) + " "
                        + l.field(LocationField.AUTHORITY_HOST) + ": " + e.getMessage());
            }
        }
    }
}
