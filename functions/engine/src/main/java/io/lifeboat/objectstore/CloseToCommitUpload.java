package io.lifeboat.objectstore;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.BiFunction;

/**
 * An upload through an SDK stream whose object appears only when the stream is closed (GCS resumable writes, Azure
 * block lists). Aborting leaves the stream unclosed: the provider discards what was staged.
 */
public final class CloseToCommitUpload extends Upload {
    private final String key;
    private final OutputStream out;
    private final BiFunction<String, RuntimeException, StoreException> failure;
    private long total;

    /** {@code failure} names a failed step ("upload key", "complete the upload of key") the provider's way. */
    public CloseToCommitUpload(String key, OutputStream out, BiFunction<String, RuntimeException, StoreException> failure) {
        this.key = key;
        this.out = out;
        this.failure = failure;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw failure.apply("upload " + key, new UncheckedIOException(e));
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure.apply("upload " + key, e);
        }
        total += len;
    }

    @Override
    protected long doCommit() {
        try {
            out.close();
        } catch (IOException e) {
            throw failure.apply("complete the upload of " + key, new UncheckedIOException(e));
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure.apply("complete the upload of " + key, e);
        }
        return total;
    }

    @Override
    protected void doAbort() {
        // never closed, never visible: the provider drops the staged data
    }
}
