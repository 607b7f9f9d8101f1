package io.lifeboat.work;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An output stream whose bytes are written to the stream underneath by a thread of its own: the writer fills a
 * buffer and hands it over, and goes on while the other thread writes it (compresses, hashes, uploads). At most
 * {@code buffers} full buffers wait, so memory stays bounded and a slow consumer slows the writer down.
 *
 * <p>A failure of the stream underneath is thrown to the writer at its next write, or at {@link #drain()}; nothing
 * written after a failure reaches the stream. {@link #drain()} returns once every byte written so far is written
 * underneath, so that the caller may then use that stream itself (the hand-off establishes happens-before). The
 * stream underneath is never closed here.
 */
public final class HandOffStream extends OutputStream {
    private static final byte[] END = new byte[0];

    private final OutputStream target;
    private final int bufferSize;
    private final BlockingQueue<Chunk> queue;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread consumer;
    private byte[] buffer;
    private int filled;
    private boolean drained;

    /** A buffer handed over: its bytes, how many of them count, and a latch for a drain. */
    private record Chunk(byte[] bytes, int length, CountDownLatch done) {
    }

    public HandOffStream(OutputStream target, int bufferSize, int buffers, String threadName) {
        this.target = target;
        this.bufferSize = bufferSize;
        this.queue = new ArrayBlockingQueue<>(buffers);
        this.buffer = new byte[bufferSize];
        this.consumer = new Thread(this::consume, threadName);
        consumer.setDaemon(true);
        consumer.start();
    }

    private void consume() {
        while (true) {
            Chunk chunk;
            try {
                chunk = queue.take();
            } catch (InterruptedException e) {
                failure.compareAndSet(null, e);
                return;
            }
            if (chunk.bytes() == END) {
                chunk.done().countDown();
                return;
            }
            if (failure.get() == null) {
                try {
                    target.write(chunk.bytes(), 0, chunk.length());
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }
            if (chunk.done() != null) {
                chunk.done().countDown();
            }
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        throwIfFailed();
        if (drained) {
            throw new IOException("the stream was drained and closed");
        }
        while (len > 0) {
            int n = Math.min(len, bufferSize - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == bufferSize) {
                handOver(null);
            }
        }
    }

    private void handOver(CountDownLatch done) throws IOException {
        put(new Chunk(buffer, filled, done));
        buffer = new byte[bufferSize];
        filled = 0;
    }

    private void put(Chunk chunk) throws IOException {
        try {
            queue.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing bytes over");
        }
    }

    /**
     * Hands over what is buffered and waits until the other thread has written everything; then stops that thread.
     * Throws the failure of the stream underneath, if any.
     */
    public void drain() throws IOException {
        if (drained) {
            throwIfFailed();
            return;
        }
        drained = true;
        CountDownLatch done = new CountDownLatch(1);
        if (filled > 0) {
            handOver(null);
        }
        put(new Chunk(END, 0, done));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the hand-off to drain");
        }
        throwIfFailed();
    }

    /** Stops the other thread without writing what waits (a failed or abandoned write). */
    public void abandon() {
        drained = true;
        consumer.interrupt();
    }

    /** Same as {@link #drain()}; the stream underneath stays open. */
    @Override
    public void close() throws IOException {
        drain();
    }

    private void throwIfFailed() throws IOException {
        Throwable failed = failure.get();
        if (failed == null) {
            return;
        }
        if (failed instanceof IOException io) {
            throw new IOException(io.getMessage(), io);
        }
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed instanceof Error error) {
            throw error;
        }
        throw new IOException(failed);
    }
}
