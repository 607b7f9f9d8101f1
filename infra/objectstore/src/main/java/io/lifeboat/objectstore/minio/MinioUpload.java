package io.lifeboat.objectstore.minio;

import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.parts.Md5Etags;
import io.lifeboat.objectstore.parts.PartedUpload;
import io.minio.GenericResponse;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.UploadPartResponse;
import io.minio.messages.Part;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A multipart upload through the MinIO client's single S3 calls (CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload), one part in flight while the next fills ({@link PartedUpload}); an object smaller than
 * one part goes up in a single PUT. The client's own putObject of a stream of unknown length uploads the parts
 * itself and tells only the whole object's ETag, so it cannot show that each part was stored as sent; sending the
 * parts here gives each part's ETag, which is checked against the MD5 of the part ({@link Md5Etags}). When every
 * ETag is that MD5, the upload is {@link #verifiedByStore() verified}; a part answered with another MD5 fails the
 * upload before it is completed. Parts go as streams, so the client sends no Content-MD5 the store could echo.
 */
final class MinioUpload extends PartedUpload<Part> {
    /** Parts of 8 MiB: one being filled, one in flight, and the client's copy of that one. */
    static final int PART_BYTES = 8 * 1024 * 1024;
    private static final String SSE = "x-amz-server-side-encryption";
    private static final String SSE_CUSTOMER_ALGORITHM = "x-amz-server-side-encryption-customer-algorithm";

    private final MinioClient client;
    private final MinioAsyncClient parts;
    private final String bucket;
    private final MinioObjectStore.Calls calls;
    private final Md5Etags etags = new Md5Etags();
    private String uploadId;

    MinioUpload(MinioClients.Clients clients, String bucket, String key, MinioObjectStore.Calls calls) {
        super(key, PART_BYTES);
        this.client = clients.client();
        this.parts = clients.parts();
        this.bucket = bucket;
        this.calls = calls;
    }

    @Override
    protected void start() {
        uploadId = calls.call("start uploading " + key(), () -> await(
                parts.createMultipartUploadAsync(bucket, null, key(), null, null)).result().uploadId());
    }

    @Override
    protected Part sendPart(int number, byte[] body, int length) {
        String md5 = Md5Etags.md5(body, 0, length);
        UploadPartResponse sent = calls.call("upload part " + number + " of " + key(), () -> await(
                parts.uploadPartAsync(bucket, null, key(), new ByteArrayInputStream(body, 0, length), length,
                        uploadId, number, null, null)));
        etags.check("part " + number + " of " + key(), md5, sent.etag(), etagCanBeMd5(sent));
        return new Part(number, sent.etag());
    }

    @Override
    protected void sendWhole(byte[] body, int length) {
        String md5 = Md5Etags.md5(body, 0, length);
        // the part size is the object's at most, so the client sends one PUT, not a multipart upload
        ObjectWriteResponse put = calls.call("write " + key(), () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket).object(key()).stream(new ByteArrayInputStream(body, 0, length), length, PART_BYTES)
                .build()));
        try {
            etags.check(key(), md5, put.etag(), etagCanBeMd5(put));
        } catch (StoreException mismatch) {
            try {
                calls.call("delete " + key(), () -> {
                    client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key()).build());
                    return null;
                });
            } catch (RuntimeException ignored) {
                // best effort: the mismatch is the failure to report
            }
            throw mismatch;
        }
    }

    @Override
    protected void complete(List<Part> sent) {
        calls.call("complete the upload of " + key(), () -> await(parts.completeMultipartUploadAsync(bucket, null,
                key(), uploadId, sent.toArray(new Part[0]), null, null)));
    }

    @Override
    protected void discard() {
        calls.call("abort the upload of " + key(), () -> await(
                parts.abortMultipartUploadAsync(bucket, null, key(), uploadId, null, null)));
    }

    /** Every part (or the single PUT) was answered with the MD5 of the bytes sent. */
    @Override
    public boolean verifiedByStore() {
        return etags.allMatched();
    }

    private static boolean etagCanBeMd5(GenericResponse response) {
        return Md5Etags.etagCanBeMd5(response.headers().get(SSE), response.headers().get(SSE_CUSTOMER_ALGORITHM));
    }

    /** The future's result, or the exception it failed with (an ErrorResponseException, an IOException...). */
    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
