package io.lifeboat.objectstore;

import java.util.List;

/**
 * One bucket (or Azure container) of a location, reached with its provider's own SDK. Keys are full object keys,
 * prefix included. Every failure is a {@link StoreException} carrying the provider's reason.
 */
public interface ObjectStore extends AutoCloseable {
    /** Fails with reason NoSuchBucket, AccessDenied... when the bucket cannot be used. */
    void checkBucket();

    void put(String key, byte[] content);

    byte[] get(String key);

    /** Keys under the prefix, in lexical order. */
    List<String> list(String prefix);

    void delete(String key);

    /** Starts a streamed upload; see {@link Upload}. */
    default Upload upload(String key) {
        throw new UnsupportedOperationException("streamed uploads are not implemented for " + getClass().getSimpleName());
    }

    /** Streams an object's content. The caller closes the stream. */
    default java.io.InputStream download(String key) {
        throw new UnsupportedOperationException("streamed downloads are not implemented for " + getClass().getSimpleName());
    }

    /** The size of an object in bytes; NoSuchKey when it is absent. */
    default long size(String key) {
        throw new UnsupportedOperationException("size is not implemented for " + getClass().getSimpleName());
    }

    @Override
    default void close() {
    }
}
