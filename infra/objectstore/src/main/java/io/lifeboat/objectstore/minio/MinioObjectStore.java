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
    private final MinioClients.Clients clients;
    private final MinioClient minio;
    private final String bucket;
    private final String endpoint;

    public MinioObjectStore(MinioClients.Clients clients, String bucket, String endpoint) {
        this.clients = clients;
        this.minio = clients.client();
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

    /** A multipart upload whose parts' ETags are checked: see {@link MinioUpload}. */
    @Override
    public Upload upload(String key) {
        return new MinioUpload(clients, bucket, key, this::call);
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

    /** One call to the store, which may fail any way the client fails. */
    interface Call<T> {
        T run() throws Exception;
    }

    /** Runs one call, naming its failure. */
    interface Calls {
        <T> T call(String what, Call<T> action);
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
