package io.lifeboat.objectstore;

import java.io.InputStream;
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
    Upload upload(String key);

    /** Streams an object's content. The caller closes the stream. */
    InputStream download(String key);

    /** The size of an object in bytes; NoSuchKey when it is absent. */
    long size(String key);

    @Override
    default void close() {
    }
}
