package io.lifeboat.encryption;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * The format of one encrypted object, version 1. The object starts with an 8-byte prefix: "LBE", the version (1),
 * and the chunk size (a 4-byte big-endian int). Then come its chunks: the plaintext cut into pieces of the chunk
 * size, the last one shorter (or empty, for an empty object), each sealed with AES-256-GCM under the backup's data
 * key and written as its 12-byte random nonce, its ciphertext and its 16-byte tag. The associated data of each chunk
 * is the prefix, the object's name (its file name in the backup's folder, with its length), the chunk's index (8
 * bytes) and a final flag (1 byte, set on the last chunk only). So a chunk opens only at its own place in its own
 * object: a changed byte, a dropped, swapped or repeated chunk, a chunk taken from another object, a cut-short object
 * (its new last chunk was not written as the last) and an object with a chunk appended all fail the tag.
 */
final class ChunkFormat {
    static final int VERSION = 1;
    static final int PREFIX_BYTES = 8;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int TAG_BITS = TAG_BYTES * 8;
    /** The smallest and largest chunk sizes a header may name: a reader holds one chunk in memory. */
    static final int MIN_CHUNK_BYTES = 1024;
    static final int MAX_CHUNK_BYTES = 16 * 1024 * 1024;
    static final String CIPHER = "AES/GCM/NoPadding";

    private ChunkFormat() {
    }

    static void checkChunkBytes(int chunkBytes) {
        if (chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("a chunk is " + MIN_CHUNK_BYTES + " to " + MAX_CHUNK_BYTES
                    + " bytes, not " + chunkBytes);
        }
    }

    static byte[] prefix(int chunkBytes) {
        return ByteBuffer.allocate(PREFIX_BYTES).put((byte) 'L').put((byte) 'B').put((byte) 'E').put((byte) VERSION)
                .putInt(chunkBytes).array();
    }

    /** The associated data of chunk {@code index} of the object {@code name}. */
    static byte[] associatedData(byte[] prefix, byte[] name, long index, boolean last) {
        return ByteBuffer.allocate(prefix.length + 2 + name.length + 8 + 1).put(prefix).putShort((short) name.length)
                .put(name).putLong(index).put((byte) (last ? 1 : 0)).array();
    }

    static byte[] name(String objectName) {
        byte[] name = objectName.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0 || name.length > 1024) {
            throw new IllegalArgumentException("an object name is 1 to 1024 bytes");
        }
        return name;
    }

    static Cipher cipher() {
        try {
            return Cipher.getInstance(CIPHER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    static void init(Cipher cipher, int mode, SecretKeySpec key, byte[] nonce, int nonceOffset, byte[] aad)
            throws GeneralSecurityException {
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce, nonceOffset, NONCE_BYTES));
        cipher.updateAAD(aad);
    }
}
