package io.lifeboat.kube;

import com.sun.net.httpserver.HttpServer;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.input.OutboundPolicy;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fabric8 (Vert.x) connects only where the {@link OutboundPolicy} allows. Names come from an in-memory hosts file,
 * never from a real DNS; refused addresses are refused before a packet is sent; the only servers are on 127.0.0.1.
 */
class KubeOutboundTest {
    HttpServer apiServer;
    final AtomicInteger apiRequests = new AtomicInteger();
    HttpServer redirecting;

    @BeforeEach
    void start() throws Exception {
        apiServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        apiServer.createContext("/", exchange -> {
            apiRequests.incrementAndGet();
            byte[] body = "{\"gitVersion\":\"v1.30.0\",\"major\":\"1\",\"minor\":\"30\"}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        apiServer.start();
        redirecting = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        redirecting.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + apiServer.getAddress().getPort()
                    + exchange.getRequestURI());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        redirecting.start();
    }

    @AfterEach
    void stop() {
        apiServer.stop(0);
        redirecting.stop(0);
    }

    private static ClusterStatus check(KubeClients clients, String server) {
        try (var session = new KubeClusterSessions(clients, 2_000, Clock.systemUTC())
                .open(KubeconfigsTest.kubeconfig(server, "token: abc"), null)) {
            return session.health();
        }
    }

    /** A cluster name that now resolves to the metadata address (rebinding after its registration): refused. */
    @Test
    void aServerNameResolvingToMetadataIsRefused() {
        AddressResolverOptions hosts = new AddressResolverOptions().setHostsValue(Buffer.buffer(
                "169.254.169.254 rebind.test\n10.0.0.1 private.test\n0.0.0.0 zero.test\n"));
        KubeClients clients = new KubeClients(1_000, 2_000,
                CheckedKubeHttp.factory(OutboundPolicy.localMode(), hosts));
        for (String host : new String[]{"rebind.test", "private.test", "zero.test"}) {
            ClusterStatus status = check(clients, "https://" + host + ":6443");
            assertEquals(ClusterStatus.Health.Unreachable, status.health());
            assertTrue(status.message().contains("allowed"), host + ": " + status.message());
        }
    }

    /** 0.0.0.0 reaches this machine's own services; it is refused even in local mode. */
    @Test
    void theUnspecifiedAddressIsRefused() {
        ClusterStatus status = check(new KubeClients(1_000, 2_000, OutboundPolicy.localMode()),
                "http://0.0.0.0:" + apiServer.getAddress().getPort());
        assertTrue(status.message().contains("never allowed"), status.message());
        assertEquals(0, apiRequests.get());
    }

    @Test
    void loopbackIsRefusedOutsideLocalMode() {
        ClusterStatus status = check(new KubeClients(1_000, 2_000, OutboundPolicy.production()),
                "http://127.0.0.1:" + apiServer.getAddress().getPort());
        assertEquals(ClusterStatus.Health.Unreachable, status.health());
        assertTrue(status.message().contains("loopback"), status.message());
        assertEquals(0, apiRequests.get());
        ClusterStatus local = check(new KubeClients(1_000, 2_000, OutboundPolicy.localMode()),
                "http://127.0.0.1:" + apiServer.getAddress().getPort());
        assertTrue(apiRequests.get() > 0, local.message());
    }

    @Test
    void aRedirectIsNotFollowed() {
        ClusterStatus status = check(new KubeClients(1_000, 2_000, OutboundPolicy.localMode()),
                "http://127.0.0.1:" + redirecting.getAddress().getPort());
        assertEquals(ClusterStatus.Health.Unreachable, status.health());
        assertEquals(0, apiRequests.get(), "the redirect was followed");
    }

    /** An API server whose error answer carries text of its own: the status names the HTTP status only. */
    @Test
    void aRemoteErrorBodyIsNotEchoed() throws Exception {
        HttpServer hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hostile.createContext("/", exchange -> {
            byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":500,"
                    + "\"reason\":\"InternalError\",\"message\":\"BODY-MARKER visit http://evil.example\"}").getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        hostile.start();
        try {
            ClusterStatus status = check(new KubeClients(1_000, 2_000, OutboundPolicy.localMode()),
                    "http://127.0.0.1:" + hostile.getAddress().getPort());
            assertEquals(ClusterStatus.Health.Unreachable, status.health());
            assertTrue(status.message().contains("HTTP 500"), status.message());
            assertTrue(!status.message().contains("BODY-MARKER") && !status.message().contains("evil.example"),
                    status.message());
        } finally {
            hostile.stop(0);
        }
    }
}
