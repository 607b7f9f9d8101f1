package io.lifeboat.encryption;

import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The open data key of one encrypted backup, in memory only, with the {@link EncryptionHeader} that keeps it wrapped
 * in the backup's folder. Every object of the backup is encrypted and decrypted through it, each bound to its own
 * name ({@link ChunkFormat}). {@link #close()} overwrites the key's bytes held here.
 */
public final class BackupKey implements AutoCloseable {
    private final byte[] key;
    private final SecretKeySpec spec;
    private final EncryptionHeader header;

    BackupKey(byte[] key, EncryptionHeader header) {
        if (key.length != 32) {
            throw new KeyException("InvalidKey", "the data key is " + key.length + " bytes, not 32 (AES-256)");
        }
        this.key = key;
        this.spec = new SecretKeySpec(key, "AES");
        this.header = header;
    }

    public EncryptionHeader header() {
        return header;
    }

    /** A stream that encrypts what is written into {@code out} as the object {@code objectName}. */
    public EncryptingStream encrypt(String objectName, OutputStream out) {
        return new EncryptingStream(out, spec, header.chunkBytes(), objectName);
    }

    /** The object {@code objectName}, whole, encrypted. */
    public byte[] encrypt(String objectName, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + content.length / 64 + 64);
        try (EncryptingStream sealing = encrypt(objectName, out)) {
            sealing.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The plaintext of the object {@code objectName}, decrypted as {@code in} is read. */
    public DecryptingStream decrypt(String objectName, InputStream in) {
        return new DecryptingStream(in, spec, header.chunkBytes(), objectName);
    }

    @Override
    public void close() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "BackupKey[" + header + "]"; // never the key itself
    }
}
