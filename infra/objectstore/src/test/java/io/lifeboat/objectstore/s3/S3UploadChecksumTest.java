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
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 upload sends what lets S3 check every byte, so that a backup need not read its archive back: a CRC32 with
 * every part, and the whole object's CRC32 with the completion of a FULL_OBJECT multipart upload (or with the single
 * PUT of a small object), equal to the CRC32 of the bytes written. Checked on the requests the real SDK sends to
 * s3proxy, and on the stored object. s3proxy answers NotImplemented to the full-object checksum, as some S3-compatible
 * stores do, so the upload completes without it; what verifies it there is its part ETags ({@link S3PartEtagsTest}).
 * S3's refusal of a wrong full-object checksum cannot be shown here.
 */
class S3UploadChecksumTest {
    @TempDir
    static Path work;
    static S3ProxyServer s3proxy;
    static final List<SdkRequest> requests = new CopyOnWriteArrayList<>();
    static final List<SdkHttpRequest> httpRequests = new CopyOnWriteArrayList<>();
    static S3Client s3;

    @BeforeAll
    static void start() {
        s3proxy = S3ProxyServer.builder().workFolder(work).start();
        s3 = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(URI.create(s3proxy.url())).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3proxy.accessKey(), s3proxy.secretKey())))
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        requests.add(context.request());
                        httpRequests.add(context.httpRequest());
                    }
                }))
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
        requests.clear();
        httpRequests.clear();
    }

    /** As if s3proxy were Amazon S3, which checks the checksums sent. */
    S3ObjectStore store() {
        return new S3ObjectStore(s3, "backups", s3proxy.url(), () -> { }, false, true);
    }

    @Test
    void aMultipartUploadCarriesEachPartsCrc32AndTheWholeObjectsOnCompletion() throws Exception {
        byte[] data = new byte[S3MultipartUpload.PART_BYTES * 2 + 12345];
        new Random(7).nextBytes(data);
        Upload upload = store().upload("backups/big/big.tar.gz");
        // written in odd slices, so that part boundaries fall inside writes
        for (int off = 0; off < data.length; off += 100_003) {
            upload.write(data, off, Math.min(100_003, data.length - off));
        }
        assertEquals(data.length, upload.commit());
        // s3proxy declines the full-object checksum (501 NotImplemented), as the second completion below shows; S3
        // takes it. The upload is still verified, by the part ETags s3proxy answered with each part's MD5.
        assertTrue(upload.verifiedByStore());

        CreateMultipartUploadRequest create = only(CreateMultipartUploadRequest.class);
        assertEquals(ChecksumAlgorithm.CRC32, create.checksumAlgorithm());
        assertEquals(ChecksumType.FULL_OBJECT, create.checksumType());
        List<UploadPartRequest> parts = all(UploadPartRequest.class);
        assertEquals(3, parts.size());
        parts.forEach(part -> assertEquals(ChecksumAlgorithm.CRC32, part.checksumAlgorithm()));
        // the SDK computes each part's CRC32 and sends it, in a header or a trailer
        long partsWithChecksum = httpRequests.stream().filter(r -> r.rawQueryParameters().containsKey("partNumber"))
                .filter(r -> r.firstMatchingHeader("x-amz-checksum-crc32").isPresent()
                        || r.firstMatchingHeader("x-amz-trailer").map(t -> t.contains("crc32")).orElse(false))
                .count();
        assertEquals(3, partsWithChecksum);
        List<CompleteMultipartUploadRequest> completes = all(CompleteMultipartUploadRequest.class);
        assertEquals(2, completes.size(), "the completion with the whole object's CRC32, then the one without");
        CompleteMultipartUploadRequest complete = completes.get(0);
        assertEquals(ChecksumType.FULL_OBJECT, complete.checksumType());
        assertEquals(crc32(data), complete.checksumCRC32());
        assertEquals(data.length, complete.mpuObjectSize());
        assertEquals(List.of(1, 2, 3), complete.multipartUpload().parts().stream().map(p -> p.partNumber()).toList());
        assertNull(completes.get(1).checksumCRC32());

        try (var in = store().download("backups/big/big.tar.gz")) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    @Test
    void toAnotherEndpointAMultipartUploadIsCompletedWithoutTheWholeObjectsChecksum() throws Exception {
        byte[] data = new byte[S3MultipartUpload.PART_BYTES + 1];
        new Random(8).nextBytes(data);
        Upload upload = new S3ObjectStore(s3, "backups", s3proxy.url(), () -> { }).upload("backups/other/a.tar.gz");
        upload.write(data, 0, data.length);
        upload.commit();
        assertTrue(upload.verifiedByStore(), "by its part ETags, not by a CRC32 the endpoint may ignore");
        assertNull(only(CreateMultipartUploadRequest.class).checksumType());
        assertNull(only(CompleteMultipartUploadRequest.class).checksumCRC32());
        assertEquals(2, all(UploadPartRequest.class).size());
        try (var in = store().download("backups/other/a.tar.gz")) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    @Test
    void aSmallObjectGoesUpInOnePutWithItsCrc32() throws Exception {
        byte[] data = "a small resource list".getBytes();
        Upload upload = store().upload("backups/small/list.json.gz");
        upload.write(data, 0, data.length);
        upload.commit();
        assertEquals(crc32(data), only(PutObjectRequest.class).checksumCRC32());
        assertTrue(upload.verifiedByStore(), "Amazon S3 checks a single PUT's CRC32");
        Upload elsewhere = new S3ObjectStore(s3, "backups", s3proxy.url(), () -> { }).upload("backups/small/other.gz");
        elsewhere.write(data, 0, data.length);
        elsewhere.commit();
        assertTrue(elsewhere.verifiedByStore(), "another endpoint may ignore the CRC32, but its ETag is the MD5");
        assertEquals(0, all(CreateMultipartUploadRequest.class).size());
        assertArrayEquals(data, store().get("backups/small/list.json.gz"));
    }

    @Test
    void aFailedPartFailsTheUploadAtTheNextWriteOrCommitAndAbortLeavesNothing() {
        S3ObjectStore broken = new S3ObjectStore(s3, "no-such-bucket", s3proxy.url(), () -> { });
        Upload upload = broken.upload("backups/x/x.tar.gz");
        byte[] chunk = new byte[S3MultipartUpload.PART_BYTES];
        StoreException failed = assertThrows(StoreException.class, () -> {
            for (int i = 0; i < 3; i++) {
                upload.write(chunk, 0, chunk.length);
            }
            upload.commit();
        });
        assertEquals("NoSuchBucket", failed.reason());
        upload.abort();
        assertTrue(store().list("backups/x/").isEmpty());
    }

    private static String crc32(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        long v = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    private static <T> List<T> all(Class<T> type) {
        return requests.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T> T only(Class<T> type) {
        List<T> found = all(type);
        assertEquals(1, found.size(), type.getSimpleName() + ": " + Arrays.toString(found.toArray()));
        return found.get(0);
    }
}
