package io.lifeboat.app.worker;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The AWS side of the Workers seam: the Lambda requests it sends, checked on a local recorder. */
class LambdaWorkersTest {
    @Test
    void backupsAndRestoresAreEventInvocationsAndValidationWaitsForItsAnswer() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        recorder.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type") + " " + body);
            boolean sync = "RequestResponse".equals(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"));
            byte[] answer = (sync ? "{\"name\":\"loc\",\"status\":{\"phase\":\"Available\"}}" : "").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(sync ? 200 : 202, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        recorder.start();
        try (LambdaClient lambda = LambdaClient.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + recorder.getAddress().getPort()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build()) {
            LambdaWorkers workers = new LambdaWorkers(lambda,
                    new LambdaWorkers.FunctionNames("lifeboat-validate-location", "lifeboat-run-backup", "lifeboat-run-restore"));
            workers.runBackup("team-a", "nightly");
            workers.runRestore("team-a", "back");
            Map<String, Object> validated = workers.validateLocation("team-a", "loc");
            assertEquals("Available", ((Map<?, ?>) validated.get("status")).get("phase"));
        } finally {
            recorder.stop(0);
        }
        assertEquals(3, requests.size(), requests.toString());
        assertEquals("POST /2015-03-31/functions/lifeboat-run-backup/invocations Event {\"project\":\"team-a\",\"name\":\"nightly\"}",
                normalise(requests.get(0)));
        assertEquals("POST /2015-03-31/functions/lifeboat-run-restore/invocations Event {\"project\":\"team-a\",\"name\":\"back\"}",
                normalise(requests.get(1)));
        assertEquals("POST /2015-03-31/functions/lifeboat-validate-location/invocations RequestResponse {\"project\":\"team-a\",\"name\":\"loc\"}",
                normalise(requests.get(2)));
    }

    /** Map.of has no order: the body's two fields are put in a fixed one. */
    private static String normalise(String request) {
        String body = request.substring(request.indexOf('{'));
        String project = body.replaceAll(".*\"project\":\"([^\"]+)\".*", "$1");
        String name = body.replaceAll(".*\"name\":\"([^\"]+)\".*", "$1");
        return request.substring(0, request.indexOf('{')) + "{\"project\":\"" + project + "\",\"name\":\"" + name + "\"}";
    }
}
