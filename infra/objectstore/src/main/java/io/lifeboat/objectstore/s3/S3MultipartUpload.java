package io.lifeboat.objectstore.s3;

import io.lifeboat.objectstore.Upload;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A multipart upload that holds one part in memory at a time. Objects smaller than one part go up in a single PUT.
 * Every S3 call runs through {@code calls}, which names failures the way the rest of the store does.
 */
final class S3MultipartUpload extends Upload {
    static final int PART_BYTES = 8 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final S3ObjectStore.Calls calls;
    private final byte[] part = new byte[PART_BYTES];
    private final List<CompletedPart> parts = new ArrayList<>();
    private int filled;
    private long total;
    private String uploadId;

    S3MultipartUpload(S3Client s3, String bucket, String key, S3ObjectStore.Calls calls) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.calls = calls;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, PART_BYTES - filled);
            System.arraycopy(b, off, part, filled, n);
            filled += n;
            off += n;
            len -= n;
            total += n;
            if (filled == PART_BYTES) {
                sendPart();
            }
        }
    }

    private void sendPart() {
        if (uploadId == null) {
            uploadId = calls.call("start uploading " + key,
                    () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId());
        }
        int number = parts.size() + 1;
        byte[] body = Arrays.copyOf(part, filled);
        String etag = calls.call("upload part " + number + " of " + key, () -> s3.uploadPart(r -> r.bucket(bucket)
                .key(key).uploadId(uploadId).partNumber(number), RequestBody.fromBytes(body)).eTag());
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        filled = 0;
    }

    @Override
    protected long doCommit() {
        if (uploadId == null) {
            byte[] body = Arrays.copyOf(part, filled);
            calls.call("write " + key, () -> s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body)));
            return total;
        }
        if (filled > 0) {
            sendPart();
        }
        calls.call("complete the upload of " + key, () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key(key)
                .uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
        return total;
    }

    @Override
    protected void doAbort() {
        if (uploadId != null) {
            calls.call("abort the upload of " + key,
                    () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)));
        }
    }
}
