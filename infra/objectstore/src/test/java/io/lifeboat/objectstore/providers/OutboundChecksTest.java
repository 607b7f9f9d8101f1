package io.lifeboat.objectstore.providers;

import com.sun.net.httpserver.HttpServer;
import io.lifeboat.input.EndpointPolicy;
import io.lifeboat.input.FakeDns;
import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationProbe;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.s3.S3Clients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 SDK and the MinIO client connect only where the {@link OutboundPolicy} allows. Hostile names go through
 * {@link FakeDns} and are refused before any connection is opened; the only servers are on 127.0.0.1.
 */
class OutboundChecksTest {
    HttpServer target;
    final AtomicInteger targetRequests = new AtomicInteger();
    HttpServer redirecting;

    @BeforeEach
    void start() throws Exception {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", exchange -> {
            targetRequests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        target.start();
        redirecting = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        redirecting.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + target.getAddress().getPort()
                    + exchange.getRequestURI());
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        redirecting.start();
    }

    @AfterEach
    void stop() {
        target.stop(0);
        redirecting.stop(0);
    }

    private static Location location(Provider provider, String url) {
        Map<LocationField, String> f = new EnumMap<>(LocationField.class);
        f.put(LocationField.REGION, "us-east-1");
        f.put(LocationField.S3_URL, url);
        f.put(LocationField.FORCE_PATH_STYLE, "true");
        f.put(LocationField.ACCESS_KEY_ID, "a-key");
        f.put(LocationField.SECRET_ACCESS_KEY, "a-secret");
        return new Location("default", "l", provider, "backups", "team-a", f, LocationStatus.pending(), Instant.now());
    }

    private static LocationStatus probe(OutboundPolicy policy, Location location) {
        ProviderObjectStoreFactory factory = ProviderObjectStoreFactory.standard(
                new S3Clients.StsAccess(URI.create("http://sts.lifeboat.test"), null), policy);
        return new LocationProbe(factory, Clock.systemUTC()).probe(location);
    }

    /** Saved while it resolved to loopback (local mode), then rebound to the metadata address: refused at connect. */
    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"AWS", "MINIO"})
    void aNameThatRebindsToMetadataAfterItWasSavedIsRefused(Provider provider) {
        FakeDns dns = new FakeDns(Map.of("rebind.test", List.of("127.0.0.1", "169.254.169.254")));
        OutboundPolicy policy = OutboundPolicy.localMode().withResolver(dns);
        String url = "http://rebind.test:" + target.getAddress().getPort();
        new EndpointPolicy(policy).requireUrl("s3Url", url); // the check when the location is saved: it passes
        LocationStatus status = probe(policy, location(provider, url));
        assertEquals(LocationStatus.Reason.AddressNotAllowed, status.reason(), status.message());
        assertTrue(status.message().contains("169.254.169.254"), status.message());
        assertEquals(0, targetRequests.get());
        assertTrue(dns.lookups("rebind.test") >= 2);
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"AWS", "MINIO"})
    void namesOfMetadataPrivateAndUnspecifiedAddressesAreRefused(Provider provider) {
        FakeDns dns = new FakeDns(Map.of("imds.test", List.of("169.254.169.254"), "nat64.test", List.of("64:ff9b::a9fe:a9fe"),
                "mapped.test", List.of("::ffff:169.254.169.254"), "private.test", List.of("10.0.0.1"),
                "home.test", List.of("192.168.1.1"), "zero.test", List.of("0.0.0.0"), "aws6.test", List.of("fd00:ec2::254")));
        OutboundPolicy policy = OutboundPolicy.localMode().withResolver(dns);
        for (String host : List.of("imds.test", "nat64.test", "mapped.test", "private.test", "home.test", "zero.test",
                "aws6.test", "metadata.google.internal.")) {
            LocationStatus status = probe(policy, location(provider, "http://" + host + ":9000"));
            assertEquals(LocationStatus.Reason.AddressNotAllowed, status.reason(), provider + " " + host + ": " + status.message());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"AWS", "MINIO"})
    void loopbackIsRefusedOutsideLocalMode(Provider provider) {
        OutboundPolicy policy = OutboundPolicy.production().withResolver(new FakeDns(Map.of()));
        LocationStatus status = probe(policy, location(provider, "http://127.0.0.1:" + target.getAddress().getPort()));
        assertEquals(LocationStatus.Reason.AddressNotAllowed, status.reason(), status.message());
        assertTrue(status.message().contains("loopback"), status.message());
        assertEquals(0, targetRequests.get());
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"AWS", "MINIO"})
    void anUnresolvableNameIsUnknownHost(Provider provider) {
        OutboundPolicy policy = OutboundPolicy.localMode().withResolver(new FakeDns(Map.of()));
        LocationStatus status = probe(policy, location(provider, "http://no-such-store.test:9000"));
        assertEquals(LocationStatus.Reason.UnknownHost, status.reason(), status.message());
        assertTrue(status.message().contains("no-such-store.test"), status.message());
    }

    /** The redirect points at another local server, which would count the request if it were followed. */
    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"AWS", "MINIO"})
    void aRedirectIsNotFollowed(Provider provider) {
        LocationStatus status = probe(OutboundPolicy.localMode(),
                location(provider, "http://127.0.0.1:" + redirecting.getAddress().getPort()));
        assertEquals(LocationStatus.Phase.Unavailable, status.phase(), status.message());
        assertEquals(0, targetRequests.get(), "the redirect was followed");
    }

    /** A store that answers every write with an error whose body carries text of its own: only status and code are shown. */
    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"AWS", "MINIO"})
    void aRemoteErrorBodyIsNotEchoed(Provider provider) throws Exception {
        HttpServer hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hostile.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("HEAD") || exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                return;
            }
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
                    + "<Message>BODY-MARKER see http://evil.example/phish and internal 10.0.0.7 data</Message>"
                    + "<Resource>/backups</Resource><RequestId>1</RequestId><HostId>h</HostId></Error>")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        hostile.start();
        try {
            LocationStatus status = probe(OutboundPolicy.localMode(),
                    location(provider, "http://127.0.0.1:" + hostile.getAddress().getPort()));
            assertEquals(LocationStatus.Reason.AccessDenied, status.reason(), status.message());
            assertTrue(status.message().contains("403"), status.message());
            assertTrue(!status.message().contains("BODY-MARKER") && !status.message().contains("evil.example"),
                    status.message());
        } finally {
            hostile.stop(0);
        }
    }
}
