package io.lifeboat.encryption;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Encrypts what is written into {@link ChunkFormat chunks} as it passes to the stream underneath, holding one chunk.
 * A full chunk is sealed only once the next byte arrives, so that the last chunk, full or not, is sealed as the last
 * one by {@link #finish()}. Neither {@code finish} nor {@link #close()} closes the stream underneath (an upload is
 * committed or aborted by its owner).
 */
public final class EncryptingStream extends OutputStream {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OutputStream out;
    private final SecretKeySpec key;
    private final byte[] prefix;
    private final byte[] name;
    private final byte[] chunk;
    private final byte[] sealed;
    private final Cipher cipher = ChunkFormat.cipher();
    private int filled;
    private long index;
    private boolean started;
    private boolean finished;

    EncryptingStream(OutputStream out, SecretKeySpec key, int chunkBytes, String objectName) {
        ChunkFormat.checkChunkBytes(chunkBytes);
        this.out = out;
        this.key = key;
        this.prefix = ChunkFormat.prefix(chunkBytes);
        this.name = ChunkFormat.name(objectName);
        this.chunk = new byte[chunkBytes];
        this.sealed = new byte[ChunkFormat.NONCE_BYTES + chunkBytes + ChunkFormat.TAG_BYTES];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("the encrypted object is finished");
        }
        while (len > 0) {
            if (filled == chunk.length) {
                seal(false);
            }
            int n = Math.min(len, chunk.length - filled);
            System.arraycopy(b, off, chunk, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    /** Seals the last chunk (the one held, maybe empty); the stream underneath stays open. */
    public void finish() throws IOException {
        if (!finished) {
            seal(true);
            finished = true;
            out.flush();
        }
    }

    /** {@link #finish()}, as an unchecked call for callers that hold no IOException. */
    public void finishUnchecked() {
        try {
            finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void seal(boolean last) throws IOException {
        if (!started) {
            out.write(prefix);
            started = true;
        }
        RANDOM.nextBytes(sealed);
        try {
            ChunkFormat.init(cipher, Cipher.ENCRYPT_MODE, key, sealed, 0,
                    ChunkFormat.associatedData(prefix, name, index, last));
            int length = cipher.doFinal(chunk, 0, filled, sealed, ChunkFormat.NONCE_BYTES);
            out.write(sealed, 0, ChunkFormat.NONCE_BYTES + length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a chunk failed", e);
        }
        index++;
        filled = 0;
    }

    @Override
    public void flush() throws IOException {
        out.flush(); // a chunk is only written whole
    }

    /** Finishes; the stream underneath stays open. */
    @Override
    public void close() throws IOException {
        finish();
    }
}
