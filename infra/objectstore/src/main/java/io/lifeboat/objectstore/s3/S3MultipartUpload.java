package io.lifeboat.objectstore.s3;

import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.Upload;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

/**
 * A multipart upload that fills one part while the part before it is sent (two part buffers, one request in flight),
 * so that the writer does not wait for S3 between parts. The first buffer grows as it fills, so a small object
 * holds no more than its size. Objects smaller than one part go up in a single PUT.
 *
 * <p>Every request carries a CRC32 that S3 checks on receipt: each part's (computed by the SDK), and the whole
 * object's (computed here as the bytes pass), sent with the single PUT or, for a multipart upload created with the
 * {@code FULL_OBJECT} checksum type, with the completion, which S3 refuses when the object it assembled has another
 * CRC32. So a committed upload to Amazon S3 is one S3 has checked byte for byte ({@link #verifiedByStore()}), and the
 * archive need not be read back. Another endpoint may take the checksums without checking them, so its uploads are
 * read back. An S3-compatible store that answers NotImplemented to a full-object checksum (s3proxy does) gets
 * the completion without it; its parts were still checked, the whole was not, and the upload says so. Every S3 call runs through {@code calls}, which names failures the way the rest of the store does.
 */
final class S3MultipartUpload extends Upload {
    static final int PART_BYTES = 8 * 1024 * 1024;
    private static final int FIRST_BUFFER_BYTES = 256 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final S3ObjectStore.Calls calls;
    private final boolean storeChecks;
    private final CRC32 crc = new CRC32();
    private final List<CompletedPart> parts = new ArrayList<>();
    /** The part being filled: it starts small and grows to a whole part, so that a small object costs little. */
    private byte[] part = new byte[FIRST_BUFFER_BYTES];
    /** The buffer of the part in flight, reused once it is sent; made when the first part is sent. */
    private byte[] sending;
    private ExecutorService sender;
    private Future<CompletedPart> inFlight;
    private int filled;
    private long total;
    private String uploadId;
    /** Whether the whole object's checksum is sent: to Amazon S3, until it declines it. */
    private boolean wholeChecked;

    /** {@code storeChecks}: the store is one known to check the CRC32s sent (Amazon S3 itself). */
    S3MultipartUpload(S3Client s3, String bucket, String key, S3ObjectStore.Calls calls, boolean storeChecks) {
        this.storeChecks = storeChecks;
        this.wholeChecked = storeChecks;
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.calls = calls;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        crc.update(b, off, len);
        while (len > 0) {
            if (filled == part.length) {
                part = Arrays.copyOf(part, Math.min(PART_BYTES, part.length * 2));
            }
            int n = Math.min(len, part.length - filled);
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

    /** Hands the full buffer to the sender, once the part before it is stored. */
    private void sendPart() {
        if (uploadId == null) {
            uploadId = calls.call("start uploading " + key, () -> s3.createMultipartUpload(r -> {
                r.bucket(bucket).key(key);
                if (wholeChecked) {
                    r.checksumAlgorithm(ChecksumAlgorithm.CRC32).checksumType(ChecksumType.FULL_OBJECT);
                }
            }).uploadId());
            sender = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "lifeboat-s3-part");
                thread.setDaemon(true);
                return thread;
            });
        }
        awaitInFlight();
        byte[] body = part;
        part = sending != null ? sending : new byte[PART_BYTES];
        sending = body;
        int number = parts.size() + 1;
        int length = filled;
        filled = 0;
        inFlight = sender.submit(() -> {
            UploadPartResponse sent = calls.call("upload part " + number + " of " + key, () -> s3.uploadPart(r -> r
                    .bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromByteBuffer(ByteBuffer.wrap(body, 0, length))));
            return CompletedPart.builder().partNumber(number).eTag(sent.eTag()).checksumCRC32(sent.checksumCRC32()).build();
        });
    }

    private void awaitInFlight() {
        if (inFlight == null) {
            return;
        }
        try {
            parts.add(inFlight.get());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreException store ? store
                    : new StoreException("Error", "uploading a part of " + key + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Error", "the upload of " + key + " was interrupted", e);
        } finally {
            inFlight = null;
        }
    }

    /** The object's CRC32 as S3 spells it: the four bytes, big-endian, in base64. */
    private String crc32() {
        long value = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[]{(byte) (value >>> 24), (byte) (value >>> 16),
                (byte) (value >>> 8), (byte) value});
    }

    @Override
    protected long doCommit() {
        try {
            if (uploadId == null) {
                String checksum = crc32();
                calls.call("write " + key, () -> s3.putObject(r -> r.bucket(bucket).key(key).checksumCRC32(checksum),
                        RequestBody.fromByteBuffer(ByteBuffer.wrap(part, 0, filled))));
                return total;
            }
            if (filled > 0) {
                sendPart();
            }
            awaitInFlight();
            String checksum = crc32();
            try {
                if (wholeChecked) {
                    calls.call("complete the upload of " + key, () -> s3.completeMultipartUpload(r -> r.bucket(bucket)
                            .key(key).uploadId(uploadId).checksumType(ChecksumType.FULL_OBJECT).checksumCRC32(checksum)
                            .mpuObjectSize(total).multipartUpload(m -> m.parts(parts))));
                    return total;
                }
            } catch (StoreException e) {
                if (!"NotImplemented".equals(e.reason())) {
                    throw e;
                }
                // an S3-compatible store without full-object checksums (s3proxy): the whole is not checked, so the
                // caller reads it back
                wholeChecked = false;
            }
            calls.call("complete the upload of " + key, () -> s3.completeMultipartUpload(r -> r.bucket(bucket)
                    .key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
            return total;
        } finally {
            stopSender();
        }
    }

    @Override
    public boolean verifiedByStore() {
        return wholeChecked;
    }

    @Override
    protected void doAbort() {
        try {
            if (inFlight != null) {
                try {
                    inFlight.get();
                } catch (ExecutionException | RuntimeException failed) {
                    // the upload is thrown away either way
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inFlight = null;
            }
            if (uploadId != null) {
                calls.call("abort the upload of " + key,
                        () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)));
            }
        } finally {
            stopSender();
        }
    }

    private void stopSender() {
        if (sender != null) {
            sender.shutdownNow();
        }
    }
}
