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
     * Whether the store has proved that the committed object holds the bytes written, so that reading it back would
     * prove nothing more: it checked a checksum sent with them (Amazon S3's CRC32, Azure's block MD5s), or answered
     * with one it can only have computed from what it received (S3-compatible part ETags that are their MD5s, GCS's
     * CRC32C). False unless an implementation says so.
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
