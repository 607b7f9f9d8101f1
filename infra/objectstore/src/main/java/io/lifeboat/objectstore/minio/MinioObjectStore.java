package io.lifeboat.objectstore.minio;

import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.providers.Failures;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.lifeboat.objectstore.Upload;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** A bucket on MinIO or another S3-compatible store, through the MinIO client. */
public final class MinioObjectStore implements ObjectStore {
    private final MinioClient minio;
    private final String bucket;
    private final String endpoint;

    public MinioObjectStore(MinioClient minio, String bucket, String endpoint) {
        this.minio = minio;
        this.bucket = bucket;
        this.endpoint = endpoint;
    }

    @Override
    public void checkBucket() {
        boolean exists = call("check bucket " + bucket, () -> minio.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
        if (!exists) {
            throw new StoreException("NoSuchBucket", "bucket " + bucket + " does not exist at " + endpoint);
        }
    }

    @Override
    public void put(String key, byte[] content) {
        call("write " + key, () -> minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(content), content.length, -1).build()));
    }

    @Override
    public byte[] get(String key) {
        return call("read " + key, () -> {
            try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                return in.readAllBytes();
            }
        });
    }

    @Override
    public List<String> list(String prefix) {
        return call("list " + prefix, () -> {
            List<String> keys = new ArrayList<>();
            for (Result<Item> result : minio.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                keys.add(result.get().objectName());
            }
            keys.sort(null);
            return keys;
        });
    }

    @Override
    public void delete(String key) {
        call("delete " + key, () -> {
            minio.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    /** Parts of 16 MiB: the MinIO client buffers one part at a time. */
    private static final long PART_BYTES = 16L * 1024 * 1024;

    @Override
    public Upload upload(String key) {
        return new MinioPipedUpload(key, in -> call("write " + key, () -> {
            minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(in, -1, PART_BYTES).build());
            return null;
        }));
    }

    @Override
    public InputStream download(String key) {
        return call("read " + key, () -> minio.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    @Override
    public long size(String key) {
        return call("stat " + key, () -> minio.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size());
    }

    @Override
    public void close() {
        try {
            minio.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the MinIO client failed", e);
        }
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private <T> T call(String what, Call<T> action) {
        try {
            return action.run();
        } catch (ErrorResponseException e) {
            String code = Failures.errorCode(e.errorResponse().code(), "HTTP" + e.response().code());
            // the status and the provider's error code only: the error body's text is the remote's, never echoed
            throw new StoreException(code, "the store at " + endpoint + " refused to " + what + " (HTTP "
                    + e.response().code() + ", " + code + ")", e);
        } catch (Exception e) {
            StoreException network = Failures.network(e, endpoint);
            throw network != null ? network
                    : new StoreException("Error", "failed to " + what + " at " + endpoint + ": " + e.getMessage(), e);
        }
    }
}
