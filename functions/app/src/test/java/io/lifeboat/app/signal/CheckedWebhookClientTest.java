package io.lifeboat.app.signal;

import com.sun.net.httpserver.HttpServer;
import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.input.OutboundRefusedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A webhook URL is hostile input: the client goes only where the policy allows, and follows no redirect. */
class CheckedWebhookClientTest {
    final List<String> received = new CopyOnWriteArrayList<>();
    HttpServer server;
    String base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            received.add("/hook " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    + " " + exchange.getRequestHeaders().getFirst("X-Lifeboat-Signature"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            received.add("/moved");
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/elsewhere", exchange -> {
            received.add("/elsewhere");
            exchange.getResponseHeaders().add("Location", base + "/hook");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aDeliveryIsAPostWithTheHeadersGiven() throws Exception {
        CheckedWebhookClient client = new CheckedWebhookClient(OutboundPolicy.localMode(), Duration.ofSeconds(5));
        int status = client.post(base + "/hook", Map.of("X-Lifeboat-Signature", "sha256=ab"),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(204, status);
        assertEquals(List.of("/hook {\"a\":1} sha256=ab"), received);
    }

    @Test
    void aRedirectIsAnAnswerNotAHop() throws Exception {
        CheckedWebhookClient client = new CheckedWebhookClient(OutboundPolicy.localMode(), Duration.ofSeconds(5));
        assertEquals(302, client.post(base + "/moved", Map.of(), new byte[0]));
        assertEquals(307, client.post(base + "/elsewhere", Map.of(), new byte[0]));
        assertEquals(List.of("/moved", "/elsewhere"), received, "the targets of the redirects were never asked");
    }

    @Test
    void anAddressThePolicyForbidsIsNeverConnectedTo() {
        CheckedWebhookClient client = new CheckedWebhookClient(OutboundPolicy.production(), Duration.ofSeconds(5));
        assertThrows(OutboundRefusedException.class, () -> client.post(base + "/hook", Map.of(), new byte[0]));
        assertThrows(OutboundRefusedException.class,
                () -> client.post("http://169.254.169.254/latest/meta-data/", Map.of(), new byte[0]));
        assertTrue(received.isEmpty(), received.toString());
    }
}
