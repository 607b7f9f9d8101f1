package io.lifeboat.objectstore.s3;

import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.Retention;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.StoredVersion;
import io.lifeboat.objectstore.providers.Failures;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.lifeboat.objectstore.Upload;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/** A bucket on AWS S3 (or any S3 endpoint), through the AWS SDK v2. */
public final class S3ObjectStore implements ObjectStore {
    private final S3Client s3;
    private final String bucket;
    private final String endpoint;
    private final AutoCloseable companions;
    private final boolean scopedSession;
    private final boolean amazonS3;

    /** A store at an endpoint other than Amazon S3's own (s3proxy, an S3-compatible service). */
    public S3ObjectStore(S3Client s3, String bucket, String endpoint, AutoCloseable companions) {
        this(s3, bucket, endpoint, companions, false, false);
    }

    /**
     * {@code scopedSession}: the credentials carry a {@link SessionPolicy}, which allows no HeadBucket.
     * {@code amazonS3}: the endpoint is Amazon S3 itself, which checks the CRC32s uploads send
     * ({@link Upload#verifiedByStore()}); another endpoint may take them without checking them.
     */
    public S3ObjectStore(S3Client s3, String bucket, String endpoint, AutoCloseable companions, boolean scopedSession,
                         boolean amazonS3) {
        this.s3 = s3;
        this.bucket = bucket;
        this.endpoint = endpoint;
        this.companions = companions;
        this.scopedSession = scopedSession;
        this.amazonS3 = amazonS3;
    }

    @Override
    public void checkBucket() {
        if (scopedSession) {
            call("check bucket " + bucket, () -> s3.getBucketLocation(r -> r.bucket(bucket)));
        } else {
            call("check bucket " + bucket, () -> s3.headBucket(r -> r.bucket(bucket)));
        }
    }

    @Override
    public void put(String key, byte[] content) {
        call("write " + key, () -> s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(content)));
    }

    @Override
    public byte[] get(String key) {
        return call("read " + key, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
    }

    @Override
    public List<String> list(String prefix) {
        return call("list " + prefix, () -> s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))
                .contents().stream().map(S3Object::key).sorted().toList());
    }

    @Override
    public void delete(String key) {
        call("delete " + key, () -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
    }

    @Override
    public Upload upload(String key) {
        return new S3MultipartUpload(s3, bucket, key, this::call, amazonS3, null);
    }

    /**
     * Object Lock must be enabled on the bucket (GetObjectLockConfiguration says {@code ObjectLockEnabled: Enabled});
     * a bucket without it (ObjectLockConfigurationNotFoundError), or a store without Object Lock at all (s3proxy
     * answers 501 NotImplemented), is ImmutabilityNotEnabled, saying so.
     */
    @Override
    public void checkRetention() {
        GetObjectLockConfigurationResponse answer;
        try {
            answer = call("read the Object Lock configuration",
                    () -> s3.getObjectLockConfiguration(r -> r.bucket(bucket)));
        } catch (StoreException e) {
            if (e.reason().equals("ObjectLockConfigurationNotFoundError")) {
                throw noObjectLock(e);
            }
            if (e.reason().equals("NotImplemented")) {
                throw new StoreException(IMMUTABILITY_NOT_ENABLED, "the S3 endpoint " + endpoint
                        + " does not implement Object Lock (GetObjectLockConfiguration: NotImplemented)", e);
            }
            throw e;
        }
        if (answer.objectLockConfiguration() == null
                || answer.objectLockConfiguration().objectLockEnabled() != ObjectLockEnabled.ENABLED) {
            throw noObjectLock(null);
        }
    }

    private StoreException noObjectLock(Throwable cause) {
        return new StoreException(IMMUTABILITY_NOT_ENABLED, "bucket " + bucket + " does not have Object Lock enabled:"
                + " objects cannot be locked there (enable Object Lock on the bucket, which turns versioning on, or"
                + " choose a bucket created with it)", cause);
    }

    /** A PutObject with {@code x-amz-object-lock-mode} and {@code x-amz-object-lock-retain-until-date}. */
    @Override
    public void put(String key, byte[] content, Retention retention) {
        if (retention == null) {
            put(key, content);
            return;
        }
        call("write " + key, () -> s3.putObject(r -> r.bucket(bucket).key(key)
                .objectLockMode(S3Locks.mode(retention)).objectLockRetainUntilDate(retention.retainUntil()),
                RequestBody.fromBytes(content)));
    }

    /** The multipart upload is created with the lock (or the single PUT carries it): S3 locks the object it completes. */
    @Override
    public Upload upload(String key, Retention retention) {
        return new S3MultipartUpload(s3, bucket, key, this::call, amazonS3, retention);
    }

    /**
     * Every version and delete marker under the prefix (ListObjectVersions), each version with its retention's date
     * (GetObjectRetention; none when it has no retention).
     */
    @Override
    public List<StoredVersion> versions(String prefix) {
        List<StoredVersion> versions = new ArrayList<>();
        for (ListObjectVersionsResponse page : call("list the versions under " + prefix,
                () -> s3.listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(prefix)).stream().toList())) {
            for (ObjectVersion version : page.versions()) {
                versions.add(new StoredVersion(version.key(), version.versionId(),
                        retainUntil(version.key(), version.versionId())));
            }
            for (DeleteMarkerEntry marker : page.deleteMarkers()) {
                versions.add(new StoredVersion(marker.key(), marker.versionId(), null));
            }
        }
        versions.sort(Comparator.comparing(StoredVersion::key));
        return versions;
    }

    private Instant retainUntil(String key, String versionId) {
        try {
            return call("read the retention of " + key, () -> s3.getObjectRetention(r -> r.bucket(bucket).key(key)
                    .versionId(versionId)).retention().retainUntilDate());
        } catch (StoreException e) {
            if (e.reason().equals("NoSuchObjectLockConfiguration")) {
                return null; // a version written without a lock
            }
            throw e;
        }
    }

    /** DeleteObject of that version: S3 refuses (AccessDenied) one still locked, which the engine never tries. */
    @Override
    public void deleteVersion(StoredVersion version) {
        call("delete " + version.key() + " (version " + version.versionId() + ")",
                () -> s3.deleteObject(r -> r.bucket(bucket).key(version.key()).versionId(version.versionId())));
    }

    @Override
    public InputStream download(String key) {
        return call("read " + key, () -> s3.getObject(r -> r.bucket(bucket).key(key)));
    }

    @Override
    public long size(String key) {
        return call("stat " + key, () -> s3.headObject(r -> r.bucket(bucket).key(key)).contentLength());
    }

    /** Runs one S3 call, naming its failure. */
    interface Calls {
        <T> T call(String what, Supplier<T> action);
    }

    @Override
    public void close() {
        s3.close();
        try {
            companions.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the S3 client's companions failed", e);
        }
    }

    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (S3Exception e) {
            throw new StoreException(reason(e), "S3 refused to " + what + " in bucket " + bucket + ": "
                    + describe(e), e);
        } catch (SdkException e) {
            StoreException network = Failures.network(e, endpoint);
            throw network != null ? network : new StoreException("Error", "S3 failed to " + what + ": " + e.getMessage(), e);
        }
    }

    /** The provider's own error code; HEAD answers carry none, so their status decides. */
    private static String reason(S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        if (code != null && !code.isEmpty() && !code.equals("404 Not Found") && !code.equals("403 Forbidden")) {
            return Failures.errorCode(code, "HTTP" + e.statusCode());
        }
        return switch (e.statusCode()) {
            case 404 -> "NoSuchBucket";
            case 403 -> "AccessDenied";
            case 400 -> "BadRequest";
            default -> "HTTP" + e.statusCode();
        };
    }

    /** The status and the provider's error code only: the error body's text is the remote's, never echoed. */
    private static String describe(S3Exception e) {
        return "HTTP " + e.statusCode() + ", " + reason(e);
    }
}
