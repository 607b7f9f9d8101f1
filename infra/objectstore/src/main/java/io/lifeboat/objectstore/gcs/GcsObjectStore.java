package io.lifeboat.objectstore.gcs;

import com.google.cloud.WriteChannel;
import io.lifeboat.objectstore.Upload;
import io.lifeboat.secret.Redactor;

import java.io.InputStream;
import java.nio.channels.Channels;
import com.google.api.gax.paging.Page;
import com.google.auth.Credentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import io.lifeboat.objectstore.Retention;
import io.lifeboat.objectstore.StoredVersion;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobField;
import com.google.cloud.storage.Storage.BlobListOption;
import io.lifeboat.location.Location;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.StoreException;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/** A bucket on Google Cloud Storage, through google-cloud-storage's JSON API client. */
public final class GcsObjectStore implements ObjectStore {
    /** The most objects GCS returns in one list page. */
    public static final int DEFAULT_PAGE_SIZE = 1000;
    private static final int UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;

    private final Storage storage;
    private final String bucket;
    private final int pageSize;
    private final GcsFailures failures;

    public GcsObjectStore(Storage storage, String bucket) {
        this(storage, bucket, DEFAULT_PAGE_SIZE, List.of());
    }

    /** {@code secrets}: values to keep out of every message, on top of never putting them there. */
    public GcsObjectStore(Storage storage, String bucket, int pageSize, Collection<String> secrets) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive: " + pageSize);
        }
        this.storage = storage;
        this.bucket = bucket;
        this.pageSize = pageSize;
        this.failures = new GcsFailures(bucket, storage.getOptions().getHost(), tokenEndpoint(storage),
                new Redactor(secrets));
    }

    /** The store of a GCP location, with its Storage client from {@code factory}. */
    public static GcsObjectStore open(Location location, GcsStorageFactory factory) {
        return open(location, factory, DEFAULT_PAGE_SIZE);
    }

    public static GcsObjectStore open(Location location, GcsStorageFactory factory, int pageSize) {
        return new GcsObjectStore(factory.create(location), location.bucket(), pageSize, location.secretValues());
    }

    private static String tokenEndpoint(Storage storage) {
        Credentials credentials = storage.getOptions().getCredentials();
        if (credentials instanceof ServiceAccountCredentials account && account.getTokenServerUri() != null) {
            return account.getTokenServerUri().toString();
        }
        return "the Google token endpoint";
    }

    /** Lists at most one object: that needs the same permission as a backup's listing, and no bucket-level one. */
    @Override
    public void checkBucket() {
        call("list objects", GcsFailures.Target.BUCKET,
                () -> storage.list(bucket, BlobListOption.pageSize(1), BlobListOption.fields(BlobField.NAME)));
    }

    @Override
    public void put(String key, byte[] content) {
        call("write " + key, GcsFailures.Target.BUCKET,
                () -> storage.create(BlobInfo.newBuilder(BlobId.of(bucket, key)).build(), content));
    }

    @Override
    public byte[] get(String key) {
        return call("read " + key, GcsFailures.Target.OBJECT, () -> storage.readAllBytes(BlobId.of(bucket, key)));
    }

    @Override
    public List<String> list(String prefix) {
        return call("list " + prefix, GcsFailures.Target.BUCKET, () -> {
            List<String> keys = new ArrayList<>();
            Page<Blob> page = storage.list(bucket, BlobListOption.prefix(prefix), BlobListOption.pageSize(pageSize),
                    BlobListOption.fields(BlobField.NAME));
            while (page != null) {
                for (Blob blob : page.getValues()) {
                    keys.add(blob.getName());
                }
                page = page.hasNextPage() ? page.getNextPage() : null;
            }
            keys.sort(null);
            return keys;
        });
    }

    /** Deleting an object that is not there succeeds, as on S3. */
    @Override
    public void delete(String key) {
        call("delete " + key, GcsFailures.Target.OBJECT, () -> storage.delete(BlobId.of(bucket, key)));
    }

    /** A resumable upload whose stored CRC32C is checked: see {@link GcsResumableUpload}. */
    @Override
    public Upload upload(String key) {
        return upload(key, null);
    }

    /**
     * The bucket must have object retention enabled ({@code objectRetention.mode: Enabled}, set when the bucket is
     * created with per-object retention); reading it needs storage.buckets.get. Otherwise ImmutabilityNotEnabled.
     */
    @Override
    public void checkRetention() {
        Bucket found = call("read the bucket's object retention", GcsFailures.Target.BUCKET,
                () -> storage.get(bucket, Storage.BucketGetOption.fields(Storage.BucketField.OBJECT_RETENTION)));
        if (found == null) {
            throw new StoreException("NoSuchBucket", "GCS bucket " + bucket + " does not exist");
        }
        if (found.getObjectRetention() == null
                || !BucketInfo.ObjectRetention.Mode.ENABLED.equals(found.getObjectRetention().getMode())) {
            throw new StoreException(IMMUTABILITY_NOT_ENABLED, "bucket " + bucket + " does not have object retention"
                    + " enabled: objects cannot be locked there (it is enabled when a bucket is created, with"
                    + " --enable-per-object-retention)");
        }
    }

    /** An object created with {@code retention: {mode, retainUntilTime}}. */
    @Override
    public void put(String key, byte[] content, Retention retention) {
        if (retention == null) {
            put(key, content);
            return;
        }
        call("write " + key, GcsFailures.Target.BUCKET, () -> storage.create(
                BlobInfo.newBuilder(BlobId.of(bucket, key)).setRetention(retention(retention)).build(), content));
    }

    /** The resumable upload is started with the object's retention, which GCS sets on the object it completes. */
    @Override
    public Upload upload(String key, Retention retention) {
        BlobId id = BlobId.of(bucket, key);
        BlobInfo.Builder info = BlobInfo.newBuilder(id);
        if (retention != null) {
            info.setRetention(retention(retention));
        }
        WriteChannel writer = call("start uploading " + key, GcsFailures.Target.BUCKET,
                () -> storage.writer(info.build()));
        writer.setChunkSize(UPLOAD_CHUNK_BYTES);
        return new GcsResumableUpload(storage, id, writer,
                (what, e) -> failures.translate(what, GcsFailures.Target.BUCKET, e));
    }

    /** Governance is an Unlocked retention (it can be lifted with overrideUnlockedRetention), compliance a Locked one. */
    static BlobInfo.Retention retention(Retention retention) {
        return BlobInfo.Retention.newBuilder()
                .setMode(retention.mode() == Retention.Mode.COMPLIANCE ? BlobInfo.Retention.Mode.LOCKED
                        : BlobInfo.Retention.Mode.UNLOCKED)
                .setRetainUntilTime(retention.retainUntil().atOffset(ZoneOffset.UTC)).build();
    }

    /** Every generation of the objects under the prefix (live and noncurrent), each with its retention's end. */
    @Override
    public List<StoredVersion> versions(String prefix) {
        return call("list the versions under " + prefix, GcsFailures.Target.BUCKET, () -> {
            List<StoredVersion> versions = new ArrayList<>();
            Page<Blob> page = storage.list(bucket, BlobListOption.prefix(prefix), BlobListOption.versions(true),
                    BlobListOption.pageSize(pageSize),
                    BlobListOption.fields(BlobField.NAME, BlobField.GENERATION, BlobField.RETENTION));
            while (page != null) {
                for (Blob blob : page.getValues()) {
                    BlobInfo.Retention retention = blob.getRetention();
                    versions.add(new StoredVersion(blob.getName(), String.valueOf(blob.getGeneration()),
                            retention == null || retention.getRetainUntilTime() == null ? null
                                    : retention.getRetainUntilTime().toInstant()));
                }
                page = page.hasNextPage() ? page.getNextPage() : null;
            }
            versions.sort(Comparator.comparing(StoredVersion::key));
            return versions;
        });
    }

    /** Deletes one generation (GCS refuses one whose retention has not ended; the engine never tries). */
    @Override
    public void deleteVersion(StoredVersion version) {
        if (version.versionId() == null) {
            delete(version.key());
            return;
        }
        call("delete " + version.key() + " (generation " + version.versionId() + ")", GcsFailures.Target.OBJECT,
                () -> storage.delete(BlobId.of(bucket, version.key(), Long.parseLong(version.versionId()))));
    }

    @Override
    public InputStream download(String key) {
        return call("read " + key, GcsFailures.Target.OBJECT,
                () -> Channels.newInputStream(storage.reader(BlobId.of(bucket, key))));
    }

    @Override
    public long size(String key) {
        Blob blob = call("stat " + key, GcsFailures.Target.OBJECT, () -> storage.get(BlobId.of(bucket, key)));
        if (blob == null) {
            throw new StoreException("NoSuchKey", "no object " + key + " in bucket " + bucket);
        }
        return blob.getSize();
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            throw new StoreException("Error", "closing the GCS client failed", e);
        }
    }

    private <T> T call(String what, GcsFailures.Target target, Supplier<T> action) {
        try {
            return action.get();
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failures.translate(what, target, e);
        }
    }
}
