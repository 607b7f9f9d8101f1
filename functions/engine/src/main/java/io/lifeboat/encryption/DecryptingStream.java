package io.lifeboat.encryption;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Decrypts an object in the {@link ChunkFormat chunk format} as it is read, one chunk at a time: a chunk's bytes are
 * handed on only once its tag is checked, and a chunk that fails (changed, moved, dropped, cut short, another object's
 * or another key's) ends the stream with a {@link TamperedObjectException} naming it. Whether a chunk is the last
 * one is read from the stream (nothing follows it), so a cut-short object fails at its new last chunk.
 */
public final class DecryptingStream extends InputStream {
    private final InputStream in;
    private final SecretKeySpec key;
    private final String objectName;
    private final byte[] prefix;
    private final byte[] name;
    private final byte[] sealed;
    private final byte[] plain;
    private final Cipher cipher = ChunkFormat.cipher();
    private int position;
    private int limit;
    private long index;
    private int peeked = -1;
    private boolean started;
    private boolean done;

    DecryptingStream(InputStream in, SecretKeySpec key, int chunkBytes, String objectName) {
        ChunkFormat.checkChunkBytes(chunkBytes);
        this.in = in;
        this.key = key;
        this.objectName = objectName;
        this.prefix = ChunkFormat.prefix(chunkBytes);
        this.name = ChunkFormat.name(objectName);
        this.sealed = new byte[ChunkFormat.NONCE_BYTES + chunkBytes + ChunkFormat.TAG_BYTES];
        this.plain = new byte[chunkBytes];
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position == limit) {
            if (done) {
                return -1;
            }
            open();
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(plain, position, b, off, n);
        position += n;
        return n;
    }

    /** Reads, checks and decrypts the next chunk. */
    private void open() throws IOException {
        if (!started) {
            byte[] head = in.readNBytes(ChunkFormat.PREFIX_BYTES);
            if (!Arrays.equals(head, prefix)) {
                throw new TamperedObjectException(objectName + " is not an encrypted object of this backup"
                        + " (its first bytes are not format 1 with this backup's chunk size)");
            }
            started = true;
        }
        int length = 0;
        if (peeked >= 0) {
            sealed[length++] = (byte) peeked;
            peeked = -1;
        }
        length += in.readNBytes(sealed, length, sealed.length - length);
        boolean last = length < sealed.length;
        if (!last) {
            peeked = in.read();
            last = peeked < 0;
        }
        if (length < ChunkFormat.NONCE_BYTES + ChunkFormat.TAG_BYTES) {
            throw new TamperedObjectException("chunk " + index + " of " + objectName + " is cut short: the object "
                    + "was truncated");
        }
        try {
            ChunkFormat.init(cipher, Cipher.DECRYPT_MODE, key, sealed, 0,
                    ChunkFormat.associatedData(prefix, name, index, last));
            limit = cipher.doFinal(sealed, ChunkFormat.NONCE_BYTES, length - ChunkFormat.NONCE_BYTES, plain, 0);
        } catch (AEADBadTagException e) {
            throw new TamperedObjectException("chunk " + index + " of " + objectName + " failed authentication"
                    + (last ? " as the object's last chunk" : "") + ": the object was changed, truncated, reordered"
                    + " or extended, or was not written with this backup's key", e);
        } catch (GeneralSecurityException e) {
            throw new TamperedObjectException("chunk " + index + " of " + objectName + " could not be decrypted: "
                    + e.getClass().getSimpleName(), e);
        }
        position = 0;
        index++;
        done = last;
    }

    /** The chunks opened so far. */
    public long chunks() {
        return index;
    }

    @Override
    public void close() throws IOException {
        Arrays.fill(plain, (byte) 0);
        in.close();
    }
}
