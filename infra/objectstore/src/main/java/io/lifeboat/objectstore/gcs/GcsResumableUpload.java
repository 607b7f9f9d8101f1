package io.lifeboat.objectstore.gcs;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.Upload;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.Base64;
import java.util.function.BiFunction;
import java.util.zip.CRC32C;

/**
 * A GCS resumable upload: the object exists only once the writer is closed, so an abort simply never closes it.
 *
 * <p>GCS computes the CRC32C of every object it stores from the bytes it received, and gives it in the object's
 * metadata. This upload computes the CRC32C of the bytes written as they pass and, once the writer is closed, compares
 * it with the stored object's: equal, the upload is {@link #verifiedByStore() verified}; different, the stored object
 * holds other bytes, so it is deleted again and the commit fails with VerificationFailed. An object without a CRC32C
 * (a stand-in, or metadata that could not be read) proves nothing, and the caller reads it back.
 */
final class GcsResumableUpload extends Upload {
    private final Storage storage;
    private final BlobId id;
    private final OutputStream out;
    private final BiFunction<String, RuntimeException, StoreException> failure;
    private final CRC32C crc = new CRC32C();
    private long total;
    private boolean verified;

    /** {@code failure} names a failed step the provider's way. */
    GcsResumableUpload(Storage storage, BlobId id, WriteChannel writer,
                       BiFunction<String, RuntimeException, StoreException> failure) {
        this.storage = storage;
        this.id = id;
        this.out = Channels.newOutputStream(writer);
        this.failure = failure;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw failure.apply("upload " + id.getName(), new UncheckedIOException(e));
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure.apply("upload " + id.getName(), e);
        }
        crc.update(b, off, len);
        total += len;
    }

    @Override
    protected long doCommit() {
        try {
            out.close();
        } catch (IOException e) {
            throw failure.apply("complete the upload of " + id.getName(), new UncheckedIOException(e));
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure.apply("complete the upload of " + id.getName(), e);
        }
        String stored = storedCrc32c();
        String written = crc32c();
        if (stored != null && !stored.equals(written)) {
            deleteQuietly();
            throw new StoreException("VerificationFailed", "GCS stored " + id.getName() + " with the CRC32C " + stored
                    + ", but the bytes written have the CRC32C " + written + ": it did not store what was sent");
        }
        verified = stored != null;
        return total;
    }

    /** The stored object's CRC32C, or null when there is none to be had. */
    private String storedCrc32c() {
        try {
            Blob blob = storage.get(id);
            return blob == null ? null : blob.getCrc32c();
        } catch (RuntimeException unreadable) {
            // the object's metadata cannot be read: nothing is proven, and the caller reads the object back
            return null;
        }
    }

    /** The CRC32C of the bytes written as GCS spells it: the four bytes, big-endian, in base64. */
    private String crc32c() {
        long value = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[]{(byte) (value >>> 24), (byte) (value >>> 16),
                (byte) (value >>> 8), (byte) value});
    }

    private void deleteQuietly() {
        try {
            storage.delete(id);
        } catch (RuntimeException ignored) {
            // best effort: the mismatch is the failure to report
        }
    }

    /** The stored object's CRC32C was read and is the CRC32C of the bytes written. */
    @Override
    public boolean verifiedByStore() {
        return verified;
    }

    @Override
    protected void doAbort() {
        // never closed, never visible: GCS drops the resumable session's bytes
    }
}
