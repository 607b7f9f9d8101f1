package io.lifeboat.objectstore.parts;

import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.Upload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An upload in parts of a fixed size that fills one part while the part before it is sent (two part buffers, one
 * request in flight), so that the writer does not wait for the store between parts. The first buffer grows as it
 * fills, so a small object holds no more than its size, and an object smaller than one part goes up in one request.
 * Subclasses say how the upload starts, how a part, a whole small object and the completion are sent, and how a
 * started upload is thrown away. A commit that fails throws the parts away too, so that no unfinished upload is left.
 *
 * @param <P> what the store answers for a part and needs again at completion (an ETag, a block ID)
 */
public abstract class PartedUpload<P> extends Upload {
    private static final int FIRST_BUFFER_BYTES = 256 * 1024;

    private final String key;
    private final int partBytes;
    private final List<P> parts = new ArrayList<>();
    /** The part being filled: it starts small and grows to a whole part, so that a small object costs little. */
    private byte[] part;
    /** The buffer of the part in flight, reused once it is sent; made when the first part is sent. */
    private byte[] sending;
    private ExecutorService sender;
    private Future<P> inFlight;
    private int filled;
    private long total;
    private boolean started;

    protected PartedUpload(String key, int partBytes) {
        this.key = key;
        this.partBytes = partBytes;
        this.part = new byte[Math.min(FIRST_BUFFER_BYTES, partBytes)];
    }

    protected final String key() {
        return key;
    }

    /** The bytes written so far. */
    protected final long total() {
        return total;
    }

    @Override
    public final void write(byte[] b, int off, int len) {
        written(b, off, len);
        while (len > 0) {
            if (filled == part.length) {
                part = Arrays.copyOf(part, Math.min(partBytes, part.length * 2));
            }
            int n = Math.min(len, part.length - filled);
            System.arraycopy(b, off, part, filled, n);
            filled += n;
            off += n;
            len -= n;
            total += n;
            if (filled == partBytes) {
                handOver();
            }
        }
    }

    /** Sees every byte written, in order, before it is buffered (a whole-object checksum, for instance). */
    protected void written(byte[] b, int off, int len) {
    }

    /** Starts the upload in parts, before the first part is sent. */
    protected abstract void start();

    /**
     * Sends part {@code number} (from 1), the first {@code length} bytes of {@code body}, on the sender thread; the
     * buffer is not touched while this runs. Throws a {@link StoreException} when it fails.
     */
    protected abstract P sendPart(int number, byte[] body, int length);

    /** Sends an object smaller than one part in a single request: nothing was started. */
    protected abstract void sendWhole(byte[] body, int length);

    /** Makes the object of these parts, in order, visible. */
    protected abstract void complete(List<P> parts);

    /** Throws away the parts of a started upload. */
    protected abstract void discard();

    /** Hands the full buffer to the sender, once the part before it is stored. */
    private void handOver() {
        if (!started) {
            start();
            started = true;
            sender = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "lifeboat-part-upload");
                thread.setDaemon(true);
                return thread;
            });
        }
        awaitInFlight();
        byte[] body = part;
        part = sending != null ? sending : new byte[partBytes];
        sending = body;
        int number = parts.size() + 1;
        int length = filled;
        filled = 0;
        inFlight = sender.submit(() -> sendPart(number, body, length));
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

    @Override
    protected final long doCommit() {
        try {
            if (!started) {
                sendWhole(part, filled);
                return total;
            }
            if (filled > 0) {
                handOver();
            }
            awaitInFlight();
            complete(List.copyOf(parts));
            return total;
        } catch (RuntimeException e) {
            if (started) {
                discardQuietly();
            }
            throw e;
        } finally {
            stopSender();
        }
    }

    @Override
    protected final void doAbort() {
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
            if (started) {
                discard();
            }
        } finally {
            stopSender();
        }
    }

    private void discardQuietly() {
        try {
            discard();
        } catch (RuntimeException ignored) {
            // best effort: the commit's own failure is the one to report, and unfinished uploads expire
        }
    }

    private void stopSender() {
        if (sender != null) {
            sender.shutdownNow();
        }
    }
}
