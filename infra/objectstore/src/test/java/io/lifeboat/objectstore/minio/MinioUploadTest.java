package io.lifeboat.objectstore.minio;

import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.Upload;
import io.lifeboat.objectstore.parts.Md5Etags;
import io.lifeboat.sandbox.s3proxy.S3ProxyServer;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MinIO upload sends its parts itself, so that it sees each part's ETag, and is verified when every ETag is the
 * MD5 of the part sent. Checked against s3proxy, which answers with the MD5 of what it received; the client's
 * interceptor plays a store that answers a part with another MD5 (it stored other bytes), or says the object is
 * encrypted with a KMS key, whose ETags are no MD5 of the content.
 */
class MinioUploadTest {
    static final String OTHER_MD5 = Md5Etags.md5(new byte[]{4, 5, 6}, 0, 3);

    @TempDir
    static Path work;
    static S3ProxyServer s3proxy;
    static MinioObjectStore store;
    static final List<Request> sent = new CopyOnWriteArrayList<>();
    /** The part number answered with another MD5 (1 for a single PUT); 0 for none. */
    static volatile int wrongPart;
    static volatile boolean answerKms;

    @BeforeAll
    static void start() throws Exception {
        s3proxy = S3ProxyServer.builder().workFolder(work).start();
        OkHttpClient http = new OkHttpClient.Builder().addInterceptor(new Faults()).build();
        MinioClient client = MinioClient.builder().endpoint(s3proxy.url()).region("us-east-1")
                .credentials(s3proxy.accessKey(), s3proxy.secretKey()).httpClient(http).build();
        MinioAsyncClient parts = MinioAsyncClient.builder().endpoint(s3proxy.url()).region("us-east-1")
                .credentials(s3proxy.accessKey(), s3proxy.secretKey()).httpClient(http).build();
        client.makeBucket(MakeBucketArgs.builder().bucket("backups").build());
        store = new MinioObjectStore(new MinioClients.Clients(client, parts), "backups", s3proxy.url());
    }

    @AfterAll
    static void stop() {
        store.close();
        s3proxy.close();
    }

    @BeforeEach
    void clear() {
        sent.clear();
        wrongPart = 0;
        answerKms = false;
    }

    static byte[] data(int size, int seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static List<Request> partRequests() {
        return sent.stream().filter(r -> r.url().queryParameter("partNumber") != null).toList();
    }

    @Test
    void aMultipartUploadWhosePartEtagsAreTheirMd5sIsVerified() throws Exception {
        byte[] data = data(MinioUpload.PART_BYTES * 2 + 777, 21);
        Upload upload = store.upload("backups/a/a.tar.gz");
        for (int off = 0; off < data.length; off += 100_003) {
            upload.write(data, off, Math.min(100_003, data.length - off));
        }
        assertEquals(data.length, upload.commit());

        assertTrue(upload.verifiedByStore());
        assertEquals(List.of("1", "2", "3"), partRequests().stream().map(r -> r.url().queryParameter("partNumber")).toList());
        // the proof holds only if the store could not have echoed an MD5 it was sent (the client sends the MD5 of
        // nothing with body-less requests, such as the one that starts the upload)
        partRequests().forEach(r -> assertNull(r.header("Content-MD5"), r.toString()));
        try (InputStream in = store.download("backups/a/a.tar.gz")) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    @Test
    void aSmallObjectGoesUpInOnePutAndIsVerifiedByItsEtag() {
        byte[] data = data(MinioUpload.PART_BYTES - 1, 22);
        Upload upload = store.upload("backups/b/list.json.gz");
        upload.write(data, 0, data.length);
        upload.commit();
        assertTrue(upload.verifiedByStore());
        assertEquals(1, sent.stream().filter(r -> r.method().equals("PUT")).count(), sent.toString());
        assertTrue(partRequests().isEmpty());
        sent.stream().filter(r -> r.method().equals("PUT")).forEach(r -> assertNull(r.header("Content-MD5"), r.toString()));
        assertArrayEquals(data, store.get("backups/b/list.json.gz"));
    }

    @Test
    void aPartAnsweredWithAnotherMd5FailsTheCommitAndTheUploadIsAborted() {
        wrongPart = 2;
        byte[] data = data(MinioUpload.PART_BYTES * 2 + 10, 23);
        Upload upload = store.upload("backups/c/c.tar.gz");
        StoreException failed = assertThrows(StoreException.class, () -> {
            upload.write(data, 0, data.length);
            upload.commit();
        });
        assertEquals("VerificationFailed", failed.reason(), failed.getMessage());
        assertTrue(failed.getMessage().contains("part 2 of backups/c/c.tar.gz"), failed.getMessage());
        assertTrue(failed.getMessage().contains(OTHER_MD5), failed.getMessage());
        upload.abort();
        assertTrue(store.list("backups/c/").isEmpty(), "never completed");
        assertTrue(sent.stream().anyMatch(r -> r.method().equals("DELETE") && r.url().queryParameter("uploadId") != null),
                "the multipart upload was aborted: " + sent);
    }

    @Test
    void aSmallObjectAnsweredWithAnotherMd5IsDeletedAndFailsTheCommit() {
        wrongPart = 1;
        byte[] data = "a manifest".getBytes();
        Upload upload = store.upload("backups/d/manifest.json.gz");
        upload.write(data, 0, data.length);
        StoreException failed = assertThrows(StoreException.class, upload::commit);
        assertEquals("VerificationFailed", failed.reason(), failed.getMessage());
        assertTrue(store.list("backups/d/").isEmpty(), "the object was deleted again");
    }

    @Test
    void partsEncryptedWithAKmsKeyProveNothingSoTheUploadIsNotVerified() {
        answerKms = true;
        byte[] data = data(MinioUpload.PART_BYTES + 3, 24);
        Upload upload = store.upload("backups/e/e.tar.gz");
        upload.write(data, 0, data.length);
        upload.commit();
        assertFalse(upload.verifiedByStore(), "an SSE-KMS ETag is no MD5 of the content: read it back");
        assertEquals(data.length, store.size("backups/e/e.tar.gz"));
    }

    /** Records requests, and rewrites answers to parts and single PUTs. */
    static final class Faults implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            Request request = chain.request();
            sent.add(request);
            Response response = chain.proceed(request);
            if (!request.method().equals("PUT")) {
                return response;
            }
            String partNumber = request.url().queryParameter("partNumber");
            int part = partNumber == null ? 1 : Integer.parseInt(partNumber);
            if (part == wrongPart) {
                response = response.newBuilder().header("ETag", "\"" + OTHER_MD5 + "\"").build();
            }
            if (answerKms) {
                response = response.newBuilder().header("x-amz-server-side-encryption", "aws:kms").build();
            }
            return response;
        }
    }
}
