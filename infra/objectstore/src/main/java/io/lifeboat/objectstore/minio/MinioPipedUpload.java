package io.lifeboat.objectstore.minio;

import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.Upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The MinIO client uploads from an InputStream of unknown length (as multipart, part by part), so this upload hands
 * it the reading end of a pipe and writes into the other end. Aborting breaks the pipe, which fails the upload.
 */
final class MinioPipedUpload extends Upload {
    private static final int PIPE_BYTES = 1024 * 1024;

    private final PipedOutputStream out = new PipedOutputStream();
    private final AbortableInput in;
    private final CompletableFuture<Void> upload;
    private long total;

    MinioPipedUpload(String key, Function<InputStream, Void> putObject) {
        try {
            this.in = new AbortableInput(new PipedInputStream(out, PIPE_BYTES));
        } catch (IOException e) {
            throw new StoreException("Error", "cannot start the upload of " + key, e);
        }
        this.upload = CompletableFuture.supplyAsync(() -> putObject.apply(in));
    }

    @Override
    public void write(byte[] b, int off, int len) {
        try {
            out.write(b, off, len);
            total += len;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private StoreException failure(Exception e) {
        if (upload.isDone()) {
            try {
                upload.join();
            } catch (RuntimeException failed) {
                Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
                if (cause instanceof StoreException store) {
                    return store;
                }
            }
        }
        return new StoreException("Error", "the upload stream broke: " + e.getMessage(), e);
    }

    @Override
    protected long doCommit() {
        try {
            out.close();
            upload.get();
            return total;
        } catch (IOException e) {
            throw failure(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreException store ? store
                    : new StoreException("Error", "the upload failed: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Error", "the upload was interrupted", e);
        }
    }

    /** Reads fail once the upload is aborted, so the client never mistakes an abort for the end of the data. */
    private static final class AbortableInput extends FilterInputStream {
        private volatile boolean aborted;

        AbortableInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            failIfAborted();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            failIfAborted();
            return n;
        }

        private void failIfAborted() throws IOException {
            if (aborted) {
                throw new IOException("the upload was aborted");
            }
        }
    }

    @Override
    protected void doAbort() {
        in.aborted = true;
        try {
            out.close(); // wakes a blocked read, which then fails instead of seeing the end of the stream
        } catch (IOException ignored) {
            // already broken
        }
        try {
            upload.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException expected) {
            // the upload was meant to fail
        }
    }
}
