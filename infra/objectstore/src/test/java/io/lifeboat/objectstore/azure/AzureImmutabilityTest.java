package io.lifeboat.objectstore.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.Retention;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.StoredVersion;
import io.lifeboat.objectstore.Upload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Version-level immutability on Azure Blob, checked by the requests the real azure-storage-blob client sends (Azurite
 * answers 501 to it): a locked blob's Put Blob, or its Put Block List, carries {@code x-ms-immutability-policy-until-date}
 * and {@code x-ms-immutability-policy-mode}; the validation reads the container's properties and says when it has no
 * version-level immutability; deleting lists the versions with their policies and deletes one by its version ID. A
 * loopback stand-in answers as the Blob service does, and keeps each request's method, path, query, headers and body.
 */
class AzureImmutabilityTest {
    private static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Instant UNTIL = Instant.parse("2027-01-05T06:30:00Z");

    record Request(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    record Answer(int status, Map<String, String> headers, String xml) {
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Answer> answer = request -> null;
    private HttpServer server;
    private AzureBlobObjectStore store;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        BlobContainerClient container = new BlobContainerClientBuilder()
                .endpoint("http://127.0.0.1:" + server.getAddress().getPort() + "/devstoreaccount1/locked")
                .credential(new StorageSharedKeyCredential("devstoreaccount1", ACCOUNT_KEY))
                .httpClient(AzureHttpClients.standard(OutboundPolicy.localMode()))
                .buildClient();
        store = new AzureBlobObjectStore(container);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        Map<String, String> query = new TreeMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), query, headers,
                exchange.getRequestBody().readAllBytes());
        requests.add(request);
        Answer custom = answer.apply(request);
        if (custom == null) {
            // Put Blob, Put Block, Put Block List: created, with what the service answers them
            Map<String, String> created = new TreeMap<>(Map.of("ETag", "\"0x8DD0000000000001\"",
                    "Last-Modified", "Sun, 06 Dec 2026 06:00:00 GMT", "x-ms-request-server-encrypted", "true",
                    "x-ms-version-id", "2026-12-06T06:00:00.0000000Z"));
            if (request.header("content-md5") != null) {
                created.put("Content-MD5", request.header("content-md5"));
            }
            custom = new Answer(request.method().equals("PUT") ? 201 : 400, created, "");
        }
        custom.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("x-ms-request-id", "00000000-0000-0000-0000-000000000000");
        exchange.getResponseHeaders().add("x-ms-version", "2025-11-05");
        byte[] bytes = custom.xml().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
        }
        exchange.sendResponseHeaders(custom.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static void assertLocked(Request request, String mode) {
        assertEquals("Tue, 05 Jan 2027 06:30:00 GMT", request.header("x-ms-immutability-policy-until-date"),
                request.headers().toString());
        assertEquals(mode, request.header("x-ms-immutability-policy-mode"));
        assertTrue(request.header("authorization").startsWith("SharedKey devstoreaccount1:"), request.header("authorization"));
    }

    @Test
    void aLockedPutBlobCarriesTheUntilDateAndTheMode() {
        byte[] content = "{\"format\":\"lifeboat.io/encrypted-backup\"}".getBytes(StandardCharsets.UTF_8);
        store.put("team-a/backups/b/lifeboat-encryption.json", content, new Retention(Retention.Mode.GOVERNANCE, UNTIL));

        assertEquals(1, requests.size());
        Request put = requests.get(0);
        assertEquals("PUT", put.method());
        assertEquals("/devstoreaccount1/locked/team-a/backups/b/lifeboat-encryption.json", put.path());
        assertEquals("BlockBlob", put.header("x-ms-blob-type"));
        assertLocked(put, "Unlocked");
        assertArrayEquals(content, put.body());
    }

    @Test
    void aSmallLockedUploadIsOnePutBlobLockedInComplianceMode() {
        byte[] content = "results".getBytes(StandardCharsets.UTF_8);
        Upload upload = store.upload("team-a/backups/b/b-results.gz", new Retention(Retention.Mode.COMPLIANCE, UNTIL));
        upload.write(content, 0, content.length);
        upload.commit();

        assertEquals(1, requests.size());
        assertLocked(requests.get(0), "Locked");
        assertTrue(requests.get(0).header("content-md5") != null, "the transactional MD5 is still sent");
    }

    @Test
    void aLargeLockedUploadCommitsItsBlockListWithThePolicyAndStagesBlocksWithout() {
        byte[] content = new byte[8 * 1024 * 1024 + 100];
        new Random(5).nextBytes(content);
        Upload upload = store.upload("team-a/backups/b/b.tar.gz", new Retention(Retention.Mode.GOVERNANCE, UNTIL));
        upload.write(content, 0, content.length);
        upload.commit();

        List<Request> blocks = requests.stream().filter(r -> "block".equals(r.query().get("comp"))).toList();
        assertEquals(2, blocks.size());
        blocks.forEach(block -> assertNull(block.header("x-ms-immutability-policy-mode"), "a block is not a blob"));
        Request commit = requests.get(requests.size() - 1);
        assertEquals("blocklist", commit.query().get("comp"));
        assertLocked(commit, "Unlocked");
        String list = new String(commit.body(), StandardCharsets.UTF_8);
        assertTrue(list.contains("<BlockList>") && list.split("<Latest>").length == 3, list);
    }

    @Test
    void theValidationAcceptsAContainerWithVersionLevelImmutability() {
        answer = request -> "container".equals(request.query().get("restype")) && !request.query().containsKey("comp")
                ? new Answer(200, Map.of("ETag", "\"0x8DD\"", "Last-Modified", "Sun, 06 Dec 2026 06:00:00 GMT",
                "x-ms-immutable-storage-with-versioning-enabled", "true"), "") : null;
        store.checkRetention();
        assertEquals("GET", requests.get(0).method());
        assertEquals("/devstoreaccount1/locked", requests.get(0).path());
    }

    @Test
    void theValidationSaysWhenTheContainerHasNoVersionLevelImmutability() {
        answer = request -> new Answer(200, Map.of("ETag", "\"0x8DD\"", "Last-Modified", "Sun, 06 Dec 2026 06:00:00 GMT"), "");
        StoreException refused = assertThrows(StoreException.class, store::checkRetention);
        assertEquals(ObjectStore.IMMUTABILITY_NOT_ENABLED, refused.reason());
        assertTrue(refused.getMessage().contains("container locked does not have version-level immutability support"),
                refused.getMessage());
    }

    @Test
    void theValidationSaysWhenTheServiceDoesNotImplementIt() {
        answer = request -> new Answer(501, Map.of("x-ms-error-code", "NotImplemented"),
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>NotImplemented</Code>"
                        + "<Message>Current API is not implemented yet.</Message></Error>");
        StoreException refused = assertThrows(StoreException.class, store::checkRetention);
        assertEquals(ObjectStore.IMMUTABILITY_NOT_ENABLED, refused.reason());
        assertTrue(refused.getMessage().contains("does not implement version-level immutability"), refused.getMessage());
    }

    @Test
    void versionsComeWithTheirPolicyAndAreDeletedByVersionId() {
        answer = request -> {
            if ("list".equals(request.query().get("comp"))) {
                return new Answer(200, Map.of(), """
                        <?xml version="1.0" encoding="utf-8"?>
                        <EnumerationResults ServiceEndpoint="http://127.0.0.1/devstoreaccount1" ContainerName="locked">
                          <Prefix>team-a/backups/b/</Prefix>
                          <Blobs>
                            <Blob><Name>team-a/backups/b/b.tar.gz</Name><VersionId>2026-12-05T06:00:00.0000000Z</VersionId>
                              <Properties><Last-Modified>Sat, 05 Dec 2026 06:00:00 GMT</Last-Modified><Etag>0x1</Etag>
                                <Content-Length>10</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>
                            <Blob><Name>team-a/backups/b/b.tar.gz</Name><VersionId>2026-12-06T06:00:00.0000000Z</VersionId>
                              <IsCurrentVersion>true</IsCurrentVersion>
                              <Properties><Last-Modified>Sun, 06 Dec 2026 06:00:00 GMT</Last-Modified><Etag>0x2</Etag>
                                <Content-Length>10</Content-Length><BlobType>BlockBlob</BlobType>
                                <ImmutabilityPolicyUntilDate>Tue, 05 Jan 2027 06:30:00 GMT</ImmutabilityPolicyUntilDate>
                                <ImmutabilityPolicyMode>unlocked</ImmutabilityPolicyMode></Properties></Blob>
                          </Blobs>
                          <NextMarker />
                        </EnumerationResults>""");
            }
            return request.method().equals("DELETE") ? new Answer(202, Map.of("x-ms-delete-type-permanent", "true"), "") : null;
        };

        List<StoredVersion> versions = store.versions("team-a/backups/b/");

        assertEquals(List.of(new StoredVersion("team-a/backups/b/b.tar.gz", "2026-12-05T06:00:00.0000000Z", null),
                new StoredVersion("team-a/backups/b/b.tar.gz", "2026-12-06T06:00:00.0000000Z", UNTIL)), versions);
        Request list = requests.get(0);
        assertEquals("team-a/backups/b/", list.query().get("prefix"));
        assertTrue(List.of(list.query().get("include").split(",")).containsAll(List.of("versions", "immutabilitypolicy")),
                list.query().toString());

        requests.clear();
        store.deleteVersion(versions.get(0));
        Request delete = requests.get(0);
        assertEquals("DELETE", delete.method());
        assertEquals("/devstoreaccount1/locked/team-a/backups/b/b.tar.gz", delete.path());
        assertEquals("2026-12-05T06:00:00.0000000Z", delete.query().get("versionid"), delete.query().toString());
    }
}
