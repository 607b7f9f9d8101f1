package io.lifeboat.secret;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Envelope encryption: each value is sealed with AES-256-GCM under a fresh data key, and the data key is stored
 * beside it, wrapped by the master key (AWS KMS in the cloud, a local key file in local mode).
 * Layout: version (1 byte) | wrapped-key length (2 bytes) | wrapped key | IV (12 bytes) | ciphertext and tag.
 */
public final class EnvelopeSecretBox implements SecretBox {
    private static final byte VERSION = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final DataKeys dataKeys;
    private final SecureRandom random = new SecureRandom();

    public EnvelopeSecretBox(DataKeys dataKeys) {
        this.dataKeys = dataKeys;
    }

    @Override
    public byte[] seal(byte[] plaintext, String context) {
        DataKeys.DataKey key = dataKeys.generate(context);
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            byte[] ciphertext = cipher(Cipher.ENCRYPT_MODE, key.plaintext(), iv, context).doFinal(plaintext);
            return ByteBuffer.allocate(1 + 2 + key.wrapped().length + IV_BYTES + ciphertext.length)
                    .put(VERSION).putShort((short) key.wrapped().length).put(key.wrapped()).put(iv).put(ciphertext)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        } finally {
            Arrays.fill(key.plaintext(), (byte) 0);
        }
    }

    @Override
    public byte[] open(byte[] sealed, String context) {
        ByteBuffer in = ByteBuffer.wrap(sealed);
        if (sealed.length < 3 + IV_BYTES || in.get() != VERSION) {
            throw new IllegalStateException("not a sealed value of a known version");
        }
        byte[] wrapped = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(wrapped);
        byte[] iv = new byte[IV_BYTES];
        in.get(iv);
        byte[] ciphertext = new byte[in.remaining()];
        in.get(ciphertext);
        byte[] key = dataKeys.unwrap(wrapped, context);
        try {
            return cipher(Cipher.DECRYPT_MODE, key, iv, context).doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed value failed to open (wrong key or context, or tampered)", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] iv, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
