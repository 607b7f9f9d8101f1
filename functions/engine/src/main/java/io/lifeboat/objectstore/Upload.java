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

    /**
     * Whether a committed upload is one the store has checked byte for byte against a checksum sent with it (S3's
     * full-object CRC32, for instance), so that reading it back would prove nothing more. False unless an
     * implementation says so.
     */
    public boolean verifiedByStore() {
        return false;
    }

    protected abstract long doCommit();

    protected abstract void doAbort();

    @Override
    public final void close() {
        abort();
    }
}
