package io.lifeboat.objectstore.s3;

import io.lifeboat.objectstore.Retention;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.parts.Md5Etags;
import io.lifeboat.objectstore.parts.PartedUpload;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;

/**
 * An S3 multipart upload, one part in flight while the next fills ({@link PartedUpload}); objects smaller than one
 * part go up in a single PUT.
 *
 * <p>Two checks make a committed upload one the store has checked byte for byte ({@link #verifiedByStore()}), so that
 * the archive need not be read back:
 * <ul>
 * <li>To Amazon S3 itself, every request carries a CRC32 that S3 checks on receipt: each part's (computed by the SDK),
 * and the whole object's (computed here as the bytes pass), sent with the single PUT or, for a multipart upload
 * created with the {@code FULL_OBJECT} checksum type, with the completion, which S3 refuses when the object it
 * assembled has another CRC32. Another endpoint may take these checksums without checking them. An S3-compatible
 * store that answers NotImplemented to a full-object checksum (s3proxy does) gets the completion without it.</li>
 * <li>To any endpoint, each part's ETag is compared with the MD5 of the part sent ({@link Md5Etags}): when every
 * ETag is that MD5, the store computed it from what it received. An ETag that is another MD5 fails the upload
 * (VerificationFailed, before the completion, so that the object never appears; a single PUT's object is deleted
 * again); an ETag that is no MD5 (SSE-KMS, SSE-C) proves nothing, and then only Amazon S3's CRC32 counts.</li>
 * </ul>
 * Every S3 call runs through {@code calls}, which names failures the way the rest of the store does.
 */
final class S3MultipartUpload extends PartedUpload<CompletedPart> {
    static final int PART_BYTES = 8 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final S3ObjectStore.Calls calls;
    private final CRC32 crc = new CRC32();
    private final Md5Etags etags = new Md5Etags();
    /** The Object Lock the object is written with; null for none. */
    private final Retention retention;
    private String uploadId;
    /** Whether the whole object's checksum is sent: to Amazon S3, until it declines it. */
    private boolean wholeChecked;

    /**
     * {@code storeChecks}: the store is one known to check the CRC32s sent (Amazon S3 itself). {@code retention}: the
     * Object Lock the object gets (on the multipart upload's creation, or on the single PUT), or null.
     */
    S3MultipartUpload(S3Client s3, String bucket, String key, S3ObjectStore.Calls calls, boolean storeChecks,
                      Retention retention) {
        super(key, PART_BYTES);
        this.retention = retention;
        this.wholeChecked = storeChecks;
        this.s3 = s3;
        this.bucket = bucket;
        this.calls = calls;
    }

    @Override
    protected void written(byte[] b, int off, int len) {
        crc.update(b, off, len);
    }

    @Override
    protected void start() {
        uploadId = calls.call("start uploading " + key(), () -> s3.createMultipartUpload(r -> {
            r.bucket(bucket).key(key());
            if (retention != null) {
                r.objectLockMode(S3Locks.mode(retention)).objectLockRetainUntilDate(retention.retainUntil());
            }
            if (wholeChecked) {
                r.checksumAlgorithm(ChecksumAlgorithm.CRC32).checksumType(ChecksumType.FULL_OBJECT);
            }
        }).uploadId());
    }

    @Override
    protected CompletedPart sendPart(int number, byte[] body, int length) {
        String md5 = Md5Etags.md5(body, 0, length);
        UploadPartResponse sent = calls.call("upload part " + number + " of " + key(), () -> s3.uploadPart(r -> r
                .bucket(bucket).key(key()).uploadId(uploadId).partNumber(number)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromByteBuffer(ByteBuffer.wrap(body, 0, length))));
        etags.check("part " + number + " of " + key(), md5, sent.eTag(),
                Md5Etags.etagCanBeMd5(sent.serverSideEncryptionAsString(), sent.sseCustomerAlgorithm()));
        return CompletedPart.builder().partNumber(number).eTag(sent.eTag()).checksumCRC32(sent.checksumCRC32()).build();
    }

    @Override
    protected void sendWhole(byte[] body, int length) {
        String checksum = crc32();
        String md5 = Md5Etags.md5(body, 0, length);
        PutObjectResponse put = calls.call("write " + key(), () -> s3.putObject(r -> {
            r.bucket(bucket).key(key()).checksumCRC32(checksum);
            if (retention != null) {
                r.objectLockMode(S3Locks.mode(retention)).objectLockRetainUntilDate(retention.retainUntil());
            }
        }, RequestBody.fromByteBuffer(ByteBuffer.wrap(body, 0, length))));
        try {
            etags.check(key(), md5, put.eTag(),
                    Md5Etags.etagCanBeMd5(put.serverSideEncryptionAsString(), put.sseCustomerAlgorithm()));
        } catch (StoreException mismatch) {
            deleteQuietly();
            throw mismatch;
        }
    }

    /** The object's CRC32 as S3 spells it: the four bytes, big-endian, in base64. */
    private String crc32() {
        long value = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[]{(byte) (value >>> 24), (byte) (value >>> 16),
                (byte) (value >>> 8), (byte) value});
    }

    @Override
    protected void complete(List<CompletedPart> parts) {
        String checksum = crc32();
        try {
            if (wholeChecked) {
                calls.call("complete the upload of " + key(), () -> s3.completeMultipartUpload(r -> r.bucket(bucket)
                        .key(key()).uploadId(uploadId).checksumType(ChecksumType.FULL_OBJECT).checksumCRC32(checksum)
                        .mpuObjectSize(total()).multipartUpload(m -> m.parts(parts))));
                return;
            }
        } catch (StoreException e) {
            if (!"NotImplemented".equals(e.reason())) {
                throw e;
            }
            // an S3-compatible store without full-object checksums (s3proxy): the whole is not checked against
            // the CRC32, so only the part ETags can prove it
            wholeChecked = false;
        }
        calls.call("complete the upload of " + key(), () -> s3.completeMultipartUpload(r -> r.bucket(bucket)
                .key(key()).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
    }

    /** Amazon S3 checked the whole object's CRC32, or the store answered every part with the MD5 of what was sent. */
    @Override
    public boolean verifiedByStore() {
        return wholeChecked || etags.allMatched();
    }

    /** Whether every part's ETag was the MD5 of the part sent. */
    boolean etagsMatched() {
        return etags.allMatched();
    }

    @Override
    protected void discard() {
        calls.call("abort the upload of " + key(),
                () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(key()).uploadId(uploadId)));
    }

    /** A single PUT whose ETag shows other bytes: the object is already visible, so it is deleted again. */
    private void deleteQuietly() {
        try {
            calls.call("delete " + key(), () -> s3.deleteObject(r -> r.bucket(bucket).key(key())));
        } catch (RuntimeException ignored) {
            // best effort: the mismatch is the failure to report
        }
    }
}
