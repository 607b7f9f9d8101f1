package io.lifeboat.encryption;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A key service in memory for tests: one master key per KMS key ID, made on first use, wrapping with AES-GCM and the
 * context as associated data (as KMS binds its encryption context). {@link #refuse} makes a key ID fail as an
 * AccessDenied key would. It remembers every call (operation, key ID, context), never a key.
 */
public final class InMemoryKeyWrapper implements KeyWrapper {
    private final ConcurrentHashMap<String, byte[]> masters = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();

    public void refuse(String keyId) {
        refused.add(keyId);
    }

    /** "generate keyId context" and "unwrap keyId context", in order. */
    public List<String> calls() {
        return calls;
    }

    @Override
    public DataKey newDataKey(String keyId, String context) {
        calls.add("generate " + keyId + " " + context);
        byte[] key = new byte[32];
        random.nextBytes(key);
        return new DataKey(key.clone(), wrap(keyId, key, context));
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrapped, String context) {
        calls.add("unwrap " + keyId + " " + context);
        check(keyId);
        ByteBuffer in = ByteBuffer.wrap(wrapped);
        byte[] iv = new byte[12];
        in.get(iv);
        byte[] body = new byte[in.remaining()];
        in.get(body);
        try {
            return cipher(Cipher.DECRYPT_MODE, keyId, iv, context).doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new KeyException("InvalidCiphertext", "the wrapped key does not unwrap with " + keyId + " and this context");
        }
    }

    private byte[] wrap(String keyId, byte[] key, String context) {
        check(keyId);
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        try {
            byte[] wrapped = cipher(Cipher.ENCRYPT_MODE, keyId, iv, context).doFinal(key);
            return ByteBuffer.allocate(12 + wrapped.length).put(iv).put(wrapped).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void check(String keyId) {
        if (refused.contains(keyId)) {
            throw new KeyException("AccessDenied", "the caller may not use key " + keyId);
        }
    }

    private Cipher cipher(int mode, String keyId, byte[] iv, String context) throws GeneralSecurityException {
        byte[] master = masters.computeIfAbsent(keyId, id -> {
            byte[] k = new byte[32];
            random.nextBytes(k);
            return k;
        });
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(master, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
