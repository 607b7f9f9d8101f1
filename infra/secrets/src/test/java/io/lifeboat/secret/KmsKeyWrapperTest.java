package io.lifeboat.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lifeboat.encryption.BackupKey;
import io.lifeboat.encryption.BackupKeys;
import io.lifeboat.encryption.KeyException;
import io.lifeboat.encryption.KeyWrapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real AWS SDK KMS client against a recorder on loopback that answers as KMS does (JSON 1.1, TrentService) and
 * keeps every request: what KmsKeyWrapper sends is checked field by field (target, content type, KeyId, KeySpec,
 * the encryption context naming the project and backup, the ciphertext), and KMS's refusals become KeyExceptions
 * that name KMS's code and never its message or a key.
 */
class KmsKeyWrapperTest {
    private static final String KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    /** Ciphertext blob (Base64) → the data key and the context it was made with, as KMS would remember them. */
    private final Map<String, Made> made = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile String refusal; // a KMS error type every request is answered with, when set
    private HttpServer server;
    private KmsClient client;

    record Recorded(String target, String contentType, String authorization, JsonNode body) {
    }

    record Made(byte[] key, JsonNode context, String keyId) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        client = KmsClient.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        requests.add(new Recorded(target, exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Authorization"), body));
        if (refusal != null) {
            reply(exchange, 400, "{\"__type\":\"" + refusal + "\",\"message\":\"the key arn is disabled: secret-words\"}");
            return;
        }
        switch (String.valueOf(target)) {
            case "TrentService.GenerateDataKey" -> {
                byte[] key = new byte[32];
                random.nextBytes(key);
                byte[] blob = new byte[184]; // KMS's ciphertext blobs are opaque; random bytes stand for one
                random.nextBytes(blob);
                String encoded = Base64.getEncoder().encodeToString(blob);
                made.put(encoded, new Made(key, body.get("EncryptionContext"), body.get("KeyId").asText()));
                reply(exchange, 200, "{\"CiphertextBlob\":\"" + encoded + "\",\"Plaintext\":\""
                        + Base64.getEncoder().encodeToString(key) + "\",\"KeyId\":\"" + KEY_ARN + "\"}");
            }
            case "TrentService.Decrypt" -> {
                Made key = made.get(body.path("CiphertextBlob").asText());
                if (key == null || !key.context().equals(body.get("EncryptionContext"))) {
                    // KMS answers a wrong context exactly as a damaged ciphertext
                    reply(exchange, 400, "{\"__type\":\"InvalidCiphertextException\"}");
                } else if (!key.keyId().equals(body.path("KeyId").asText())) {
                    reply(exchange, 400, "{\"__type\":\"IncorrectKeyException\",\"message\":\"wrong key\"}");
                } else {
                    reply(exchange, 200, "{\"KeyId\":\"" + KEY_ARN + "\",\"Plaintext\":\""
                            + Base64.getEncoder().encodeToString(key.key()) + "\",\"EncryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}");
                }
            }
            default -> reply(exchange, 400, "{\"__type\":\"UnknownOperationException\"}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().add("x-amzn-RequestId", "c0ffee00-0000-4000-8000-000000000000");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void generateDataKeySendsTheKeyTheSpecAndTheBackupsContext() {
        KeyWrapper.DataKey key = new KmsKeyWrapper(client).newDataKey("alias/backups", "backup/team-a/nightly-1");

        assertEquals(32, key.plaintext().length);
        assertEquals(184, key.wrapped().length);
        assertEquals(1, requests.size());
        Recorded sent = requests.get(0);
        assertEquals("TrentService.GenerateDataKey", sent.target());
        assertEquals("application/x-amz-json-1.1", sent.contentType());
        assertTrue(sent.authorization().startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), sent.authorization());
        assertTrue(sent.authorization().contains("/eu-west-1/kms/aws4_request"), sent.authorization());
        assertEquals("alias/backups", sent.body().get("KeyId").asText());
        assertEquals("AES_256", sent.body().get("KeySpec").asText());
        assertEquals(JSON.createObjectNode().put("lifeboat:backup", "backup/team-a/nightly-1"),
                sent.body().get("EncryptionContext"));
        assertFalse(sent.body().has("NumberOfBytes"), "KeySpec alone says how long the key is");
        assertFalse(key.toString().contains(Base64.getEncoder().encodeToString(key.plaintext())));
    }

    @Test
    void decryptSendsTheBlobTheKeyAndTheSameContextAndGetsTheKeyBack() {
        KmsKeyWrapper wrapper = new KmsKeyWrapper(client);
        KeyWrapper.DataKey key = wrapper.newDataKey(KEY_ARN, "backup/team-a/nightly-1");

        byte[] unwrapped = wrapper.unwrap(KEY_ARN, key.wrapped(), "backup/team-a/nightly-1");

        assertArrayEquals(key.plaintext(), unwrapped);
        Recorded sent = requests.get(1);
        assertEquals("TrentService.Decrypt", sent.target());
        assertEquals("application/x-amz-json-1.1", sent.contentType());
        assertEquals(KEY_ARN, sent.body().get("KeyId").asText());
        assertEquals(Base64.getEncoder().encodeToString(key.wrapped()), sent.body().get("CiphertextBlob").asText());
        assertEquals(JSON.createObjectNode().put("lifeboat:backup", "backup/team-a/nightly-1"),
                sent.body().get("EncryptionContext"));
    }

    @Test
    void aKeyWrappedForOneBackupDoesNotUnwrapForAnother() {
        KmsKeyWrapper wrapper = new KmsKeyWrapper(client);
        KeyWrapper.DataKey key = wrapper.newDataKey(KEY_ARN, "backup/team-a/nightly-1");

        KeyException refused = assertThrows(KeyException.class,
                () -> wrapper.unwrap(KEY_ARN, key.wrapped(), "backup/team-b/nightly-1"));

        assertEquals("InvalidCiphertext", refused.reason());
        assertTrue(refused.getMessage().contains("Decrypt") && refused.getMessage().contains(KEY_ARN), refused.getMessage());
        assertFalse(refused.getMessage().contains(Base64.getEncoder().encodeToString(key.plaintext())));
    }

    @Test
    void kmsRefusalsBecomeKeyExceptionsNamingTheCodeNotKmsWords() {
        refusal = "DisabledException";
        KmsKeyWrapper wrapper = new KmsKeyWrapper(client);

        KeyException disabled = assertThrows(KeyException.class, () -> wrapper.newDataKey("alias/off", "backup/p/b"));
        assertEquals("Disabled", disabled.reason());
        assertTrue(disabled.getMessage().contains("GenerateDataKey") && disabled.getMessage().contains("alias/off"),
                disabled.getMessage());
        assertFalse(disabled.getMessage().contains("secret-words"), disabled.getMessage());

        refusal = "AccessDeniedException";
        KeyException denied = assertThrows(KeyException.class, () -> wrapper.unwrap("alias/off", new byte[]{1, 2}, "backup/p/b"));
        assertEquals("AccessDenied", denied.reason());
        assertEquals(2, requests.size(), "no retry is asked here; the wrapper itself never loops");
    }

    @Test
    void anUnreachableKmsIsSaidSo() {
        server.stop(0);
        KeyException down = assertThrows(KeyException.class,
                () -> new KmsKeyWrapper(client).newDataKey("alias/backups", "backup/p/b"));
        assertEquals("Unreachable", down.reason());
    }

    @Test
    void aBackupsObjectsRoundTripThroughKeysKmsMadeAndOpened() throws IOException {
        BackupKeys keys = new BackupKeys(new KmsKeyWrapper(client), BackupKeys.MIN_CHUNK_BYTES);
        String context = BackupKeys.backupContext("team-a", "nightly-1");
        byte[] content = new byte[3 * BackupKeys.MIN_CHUNK_BYTES + 17];
        random.nextBytes(content);
        byte[] stored;
        io.lifeboat.encryption.EncryptionHeader header;
        try (BackupKey key = keys.create(KEY_ARN, context)) {
            stored = key.encrypt("backups/nightly-1/nightly-1.tar.gz", content);
            header = key.header();
        }
        assertFalse(Arrays.equals(content, Arrays.copyOf(stored, content.length)));

        try (BackupKey opened = keys.open(header, KEY_ARN, context)) {
            byte[] read = opened.decrypt("backups/nightly-1/nightly-1.tar.gz", new ByteArrayInputStream(stored)).readAllBytes();
            assertArrayEquals(content, read);
        }
        assertEquals(List.of("TrentService.GenerateDataKey", "TrentService.Decrypt"),
                requests.stream().map(Recorded::target).toList());
    }
}
