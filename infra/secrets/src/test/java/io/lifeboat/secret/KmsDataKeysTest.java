package io.lifeboat.secret;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No KMS can be had here, so the real AWS SDK KMS client talks to a small stand-in that speaks KMS's JSON protocol
 * (GenerateDataKey and Decrypt, "wrapping" by prefixing). It checks what Lifeboat sends: the key id, the key spec,
 * and the encryption context that binds a data key to its record.
 */
class KmsDataKeysTest {
    @Test
    void envelopeOverKmsRoundTripsAndSendsTheEncryptionContext() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        byte[] dataKey = new byte[32];
        for (int i = 0; i < 32; i++) {
            dataKey[i] = (byte) i;
        }
        String wrapped = Base64.getEncoder().encodeToString(("wrapped:" + Base64.getEncoder().encodeToString(dataKey))
                .getBytes(StandardCharsets.UTF_8));
        HttpServer kms = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        kms.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(target + " " + body);
            String answer = target.endsWith("GenerateDataKey")
                    ? "{\"CiphertextBlob\":\"" + wrapped + "\",\"Plaintext\":\"" + Base64.getEncoder().encodeToString(dataKey)
                    + "\",\"KeyId\":\"arn:aws:kms:us-east-1:123456789012:key/k\"}"
                    : "{\"Plaintext\":\"" + Base64.getEncoder().encodeToString(dataKey)
                    + "\",\"KeyId\":\"arn:aws:kms:us-east-1:123456789012:key/k\"}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        kms.start();
        try (KmsClient client = KmsClient.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + kms.getAddress().getPort()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build()) {
            EnvelopeSecretBox box = new EnvelopeSecretBox(new KmsDataKeys(client, "alias/lifeboat"));
            byte[] sealed = box.seal("client secret".getBytes(StandardCharsets.UTF_8), "location/p/az");
            assertArrayEquals("client secret".getBytes(StandardCharsets.UTF_8), box.open(sealed, "location/p/az"));
        } finally {
            kms.stop(0);
        }
        assertEquals(2, requests.size(), requests.toString());
        assertTrue(requests.get(0).startsWith("TrentService.GenerateDataKey "), requests.get(0));
        assertTrue(requests.get(0).contains("\"KeyId\":\"alias/lifeboat\""), requests.get(0));
        assertTrue(requests.get(0).contains("\"KeySpec\":\"AES_256\""), requests.get(0));
        assertTrue(requests.get(0).contains("\"EncryptionContext\":{\"lifeboat:record\":\"location/p/az\"}"), requests.get(0));
        assertTrue(requests.get(1).startsWith("TrentService.Decrypt "), requests.get(1));
        assertTrue(requests.get(1).contains("\"EncryptionContext\":{\"lifeboat:record\":\"location/p/az\"}"), requests.get(1));
    }
}
