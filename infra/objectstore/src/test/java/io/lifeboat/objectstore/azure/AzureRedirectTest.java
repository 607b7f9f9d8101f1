package io.lifeboat.objectstore.azure;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.sandbox.tls.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.lifeboat.objectstore.azure.AzureBlobObjectStoreTest.CLIENT;
import static io.lifeboat.objectstore.azure.AzureBlobObjectStoreTest.SECRET;
import static io.lifeboat.objectstore.azure.AzureBlobObjectStoreTest.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Neither the blob endpoint nor Entra ID's token endpoint may send the client elsewhere: a redirecting server on
 * loopback points every request at a second local HTTPS server, which counts what reaches it. The store call must
 * fail, and the second server must see nothing (no blob request, no token request, no bearer token).
 */
class AzureRedirectTest {
    static final String CONTAINER = "backups";

    @TempDir
    static Path work;
    static SelfSignedCertificate certificate;
    static FakeEntraId entraId;
    static HttpsServer target;
    static final List<String> targetRequests = new CopyOnWriteArrayList<>();
    static HttpsServer redirecting;
    static volatile int redirectStatus;
    static final List<String> redirected = new CopyOnWriteArrayList<>();
    static ClientSecretContainerFactory factory;

    @BeforeAll
    static void start() throws Exception {
        certificate = SelfSignedCertificate.create(work.resolve("tls"));
        entraId = new FakeEntraId(certificate, TENANT, CLIENT, SECRET);
        target = server(exchange -> {
            targetRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        redirecting = server(exchange -> {
            redirected.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Location", url(target) + exchange.getRequestURI());
            exchange.sendResponseHeaders(redirectStatus, -1);
            exchange.close();
        });
        factory = new ClientSecretContainerFactory(
                AzureHttpClients.trustingOnly(certificate.certificatePem(), OutboundPolicy.localMode()));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {entraId, () -> target.stop(0), () -> redirecting.stop(0)}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // the other servers still stop
            }
        }
    }

    @BeforeEach
    void reset() {
        targetRequests.clear();
        redirected.clear();
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectFromTheBlobEndpointIsNotFollowed(int status) {
        redirectStatus = status;
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(
                location(url(redirecting) + "/account", entraId.authorityHost()), factory)) {
            for (Executable call : List.<Executable>of(store::checkBucket, () -> store.put("clusters/x", new byte[] {1}),
                    () -> store.get("clusters/x"), () -> store.list("clusters/"), () -> store.delete("clusters/x"))) {
                StoreException e = fastFailure(call);
                assertFalse(e.getMessage().contains(SECRET), e.getMessage());
            }
        }
        assertFalse(redirected.isEmpty(), "the blob endpoint was asked");
        assertEquals(List.of(), targetRequests, "the redirect of HTTP " + status + " was followed");
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectFromTheTokenEndpointIsNotFollowed(int status) {
        redirectStatus = status;
        // the blob endpoint is the second server too: without a token, nothing may reach it either
        try (AzureBlobObjectStore store = AzureBlobObjectStore.open(
                location(url(target) + "/account", url(redirecting)), factory)) {
            StoreException e = fastFailure(store::checkBucket);
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        }
        assertTrue(redirected.stream().anyMatch(r -> r.equals("POST /" + TENANT + "/oauth2/v2.0/token")),
                "the token endpoint was asked: " + redirected);
        assertEquals(List.of(), targetRequests, "the redirect of HTTP " + status + " was followed");
    }

    private static Location location(String endpoint, String authorityHost) {
        Map<LocationField, String> fields = new EnumMap<>(LocationField.class);
        fields.put(LocationField.STORAGE_ACCOUNT, "account");
        fields.put(LocationField.TENANT_ID, TENANT);
        fields.put(LocationField.CLIENT_ID, CLIENT);
        fields.put(LocationField.CLIENT_SECRET, SECRET);
        fields.put(LocationField.SUBSCRIPTION_ID, "00000000-0000-0000-0000-000000000000");
        fields.put(LocationField.RESOURCE_GROUP, "lifeboat");
        fields.put(LocationField.ENDPOINT, endpoint);
        fields.put(LocationField.AUTHORITY_HOST, authorityHost);
        return new Location("p1", "azure", Provider.AZURE, CONTAINER, "clusters/", fields, LocationStatus.pending(),
                Instant.now());
    }

    private static StoreException fastFailure(Executable call) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(StoreException.class, call));
    }

    private static String url(HttpsServer server) {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private static HttpsServer server(com.sun.net.httpserver.HttpHandler handler) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(FakeEntraId.serverContext(certificate)));
        server.createContext("/", handler);
        server.start();
        return server;
    }
}
