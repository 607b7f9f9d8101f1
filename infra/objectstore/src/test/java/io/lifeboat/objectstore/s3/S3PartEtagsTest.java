package io.lifeboat.objectstore.s3;

import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.Upload;
import io.lifeboat.sandbox.s3proxy.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An S3 upload to an endpoint other than Amazon S3 is verified by the ETags the store answers: each part's must be
 * the MD5 of the part sent, which the store can only know by computing it, since no Content-MD5 is sent. Checked
 * against s3proxy, which answers each part and PUT with the MD5 of what it received. The client's interceptor plays
 * the faults: a part whose bytes change on the way (s3proxy then stores them and answers their MD5), and answers
 * whose ETag proves nothing (encrypted with a KMS key, or not an MD5 at all).
 */
class S3PartEtagsTest {
    @TempDir
    static Path work;
    static S3ProxyServer s3proxy;
    static S3Client s3;
    static final List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();
    /** The part number whose bytes are changed on the way; 0 for none. */
    static volatile int corruptPart;
    /** Answers say the object is encrypted with a KMS key. */
    static volatile boolean answerKms;
    /** A PUT is answered with this ETag instead of the store's; null to keep it. */
    static volatile String putEtag;

    @BeforeAll
    static void start() {
        s3proxy = S3ProxyServer.builder().workFolder(work).start();
        s3 = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(URI.create(s3proxy.url())).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3proxy.accessKey(), s3proxy.secretKey())))
                .overrideConfiguration(c -> c.addExecutionInterceptor(new Faults()))
                .build();
        s3.createBucket(r -> r.bucket("backups"));
    }

    @AfterAll
    static void stop() {
        s3.close();
        s3proxy.close();
    }

    @BeforeEach
    void clear() {
        sent.clear();
        corruptPart = 0;
        answerKms = false;
        putEtag = null;
    }

    /** s3proxy, not Amazon S3: only the ETags can prove what it stored. */
    static S3ObjectStore store() {
        return new S3ObjectStore(s3, "backups", s3proxy.url(), () -> { });
    }

    static byte[] data(int size, int seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void aMultipartUploadWhosePartEtagsAreTheirMd5sIsVerified() throws Exception {
        byte[] data = data(S3MultipartUpload.PART_BYTES * 2 + 4321, 11);
        Upload upload = store().upload("backups/a/a.tar.gz");
        upload.write(data, 0, data.length);
        upload.commit();

        assertTrue(upload.verifiedByStore(), "every part's ETag is the MD5 of the part");
        List<SdkHttpRequest> parts = sent.stream().filter(r -> r.rawQueryParameters().containsKey("partNumber")).toList();
        assertEquals(3, parts.size());
        // the proof holds only if the store could not have echoed an MD5 it was sent
        sent.forEach(r -> assertFalse(r.firstMatchingHeader("Content-MD5").isPresent(), r.toString()));
        try (InputStream in = store().download("backups/a/a.tar.gz")) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    @Test
    void aSmallObjectWhosePutEtagIsItsMd5IsVerified() {
        byte[] data = "a small manifest".getBytes();
        Upload upload = store().upload("backups/b/manifest.json.gz");
        upload.write(data, 0, data.length);
        upload.commit();
        assertTrue(upload.verifiedByStore());
        assertEquals(1, sent.stream().filter(r -> r.method().name().equals("PUT")).count());
        sent.forEach(r -> assertFalse(r.firstMatchingHeader("Content-MD5").isPresent(), r.toString()));
    }

    @Test
    void aPartThatChangedOnTheWayFailsTheCommitBeforeTheObjectAppears() {
        corruptPart = 2;
        byte[] data = data(S3MultipartUpload.PART_BYTES * 2 + 10, 12);
        Upload upload = store().upload("backups/c/c.tar.gz");
        StoreException failed = assertThrows(StoreException.class, () -> {
            upload.write(data, 0, data.length);
            upload.commit();
        });
        assertEquals("VerificationFailed", failed.reason(), failed.getMessage());
        assertTrue(failed.getMessage().contains("part 2 of backups/c/c.tar.gz"), failed.getMessage());
        upload.abort();
        assertTrue(store().list("backups/c/").isEmpty(), "never completed");
        assertTrue(sent.stream().anyMatch(r -> r.method().name().equals("DELETE")
                && r.rawQueryParameters().containsKey("uploadId")), "the multipart upload was aborted");
        assertTrue(s3.listMultipartUploads(r -> r.bucket("backups").prefix("backups/c/")).uploads().isEmpty());
    }

    @Test
    void aSmallObjectAnsweredWithAnotherMd5IsDeletedAndFailsTheCommit() {
        putEtag = "\"" + io.lifeboat.objectstore.parts.Md5Etags.md5(new byte[]{1, 2, 3}, 0, 3) + "\"";
        byte[] data = "a resource list".getBytes();
        Upload upload = store().upload("backups/d/list.json.gz");
        upload.write(data, 0, data.length);
        StoreException failed = assertThrows(StoreException.class, upload::commit);
        assertEquals("VerificationFailed", failed.reason(), failed.getMessage());
        assertTrue(failed.getMessage().contains("backups/d/list.json.gz"), failed.getMessage());
        assertTrue(store().list("backups/d/").isEmpty(), "the object was deleted again");
    }

    /** A single PUT carries the whole object's CRC32, which s3proxy checks too. */
    @Test
    void aSmallObjectThatChangedOnTheWayIsRefusedByTheStore() {
        corruptPart = 1;
        byte[] data = "a resource list".getBytes();
        Upload upload = store().upload("backups/g/list.json.gz");
        upload.write(data, 0, data.length);
        StoreException failed = assertThrows(StoreException.class, upload::commit);
        assertEquals("BadDigest", failed.reason(), failed.getMessage());
        assertTrue(store().list("backups/g/").isEmpty());
    }

    @Test
    void partsEncryptedWithAKmsKeyProveNothingSoTheUploadIsNotVerified() {
        answerKms = true;
        byte[] data = data(S3MultipartUpload.PART_BYTES + 5, 13);
        Upload upload = store().upload("backups/e/e.tar.gz");
        upload.write(data, 0, data.length);
        upload.commit();
        assertFalse(upload.verifiedByStore(), "an SSE-KMS ETag is no MD5 of the content: read it back");
        assertEquals(data.length, store().size("backups/e/e.tar.gz"));
    }

    @Test
    void anEtagThatIsNoMd5ProvesNothingSoTheUploadIsNotVerified() {
        putEtag = "\"0123456789abcdef0123456789abcdef01234567\"";
        byte[] data = "a store with other ETags".getBytes();
        Upload upload = store().upload("backups/f/f.json");
        upload.write(data, 0, data.length);
        upload.commit();
        assertFalse(upload.verifiedByStore());
        assertArrayEquals(data, store().get("backups/f/f.json"));
    }

    /**
     * Changes one byte of a part before the SDK signs and checksums it, as a fault between Lifeboat's buffer and
     * the wire would; and rewrites answers.
     */
    static final class Faults implements ExecutionInterceptor {
        @Override
        public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            int part = context.request() instanceof UploadPartRequest up ? up.partNumber()
                    : context.request() instanceof PutObjectRequest ? 1 : 0;
            if (part == 0 || part != corruptPart || context.requestBody().isEmpty()) {
                return context.requestBody();
            }
            try (InputStream in = context.requestBody().get().contentStreamProvider().newStream()) {
                byte[] bytes = in.readAllBytes();
                bytes[bytes.length / 2] ^= 0x20;
                return Optional.of(RequestBody.fromBytes(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            sent.add(context.httpRequest());
        }

        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            SdkHttpResponse response = context.httpResponse();
            boolean put = context.request() instanceof PutObjectRequest;
            if (answerKms && (put || context.request() instanceof UploadPartRequest)) {
                response = response.toBuilder().putHeader("x-amz-server-side-encryption", "aws:kms").build();
            }
            if (putEtag != null && put) {
                response = response.toBuilder().putHeader("ETag", putEtag).build();
            }
            return response;
        }
    }
}
