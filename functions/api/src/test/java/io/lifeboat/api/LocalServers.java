package io.lifeboat.api;

import io.lifeboat.sandbox.dynamodb.DynamoDbLocalServer;
import io.lifeboat.sandbox.s3proxy.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The real servers the API tests (here, and in aws-api and aws-workers) talk to: DynamoDB Local and s3proxy (HTTP and HTTPS), on free loopback ports. */
public class LocalServers implements QuarkusTestResourceLifecycleManager {
    public static S3ProxyServer s3;
    public static DynamoDbLocalServer dynamo;
    public static Path work;

    @Override
    public Map<String, String> start() {
        try {
            work = Files.createTempDirectory("lifeboat-app-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dynamo = DynamoDbLocalServer.inMemory();
        s3 = S3ProxyServer.builder().withHttps(work.resolve("tls")).workFolder(work).start();
        try (S3Client admin = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(URI.create(s3.url())).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build()) {
            admin.createBucket(r -> r.bucket("backups"));
        }
        return Map.of(
                "quarkus.dynamodb.endpoint-override", dynamo.url(),
                "lifeboat.secrets.local-key-file", work.resolve("master.key").toString(),
                // small chunks, so that the encrypted backups of tests span several
                "lifeboat.encryption.chunk-bytes", "4096");
    }

    @Override
    public void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }
}
