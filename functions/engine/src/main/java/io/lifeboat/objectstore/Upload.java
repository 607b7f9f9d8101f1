package io.lifeboat.objectstore;

import java.io.OutputStream;

/**
 * A streamed upload to one key (multipart where the provider has it). Nothing is visible under the key until
 * {@link #commit()}; {@link #abort()} throws the parts away. Closing without committing aborts.
 */
public abstract class Upload extends OutputStream {
    private boolean finished;

    @Override
    public void write(int b) {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public abstract void write(byte[] b, int off, int len);

    /** Makes the object visible; returns its size in bytes. */
    public final long commit() {
        finished = true;
        return doCommit();
    }

    public final void abort() {
        if (!finished) {
            finished = true;
            doAbort();
        }
    }

    protected abstract long doCommit();

    protected abstract void doAbort();

    @Override
    public final void close() {
        abort();
    }
}
