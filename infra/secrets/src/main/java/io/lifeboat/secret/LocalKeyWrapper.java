package io.lifeboat.secret;

import io.lifeboat.encryption.KeyException;
import io.lifeboat.encryption.KeyWrapper;

import java.nio.BufferUnderflowException;

/**
 * Local mode's stand-in for KMS: every location's data keys are wrapped by the local key file, whatever KMS key it
 * names; the key ID is bound with the context as associated data, so a header naming another key ID, or another
 * backup, does not unwrap. A key that does not unwrap is a {@link KeyException} (InvalidCiphertext), as KMS says it.
 */
public final class LocalKeyWrapper implements KeyWrapper {
    private final DataKeys localKey;

    public LocalKeyWrapper(DataKeys localKey) {
        this.localKey = localKey;
    }

    @Override
    public DataKey newDataKey(String keyId, String context) {
        DataKeys.DataKey key = localKey.generate(bound(keyId, context));
        return new DataKey(key.plaintext(), key.wrapped());
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrapped, String context) {
        try {
            return localKey.unwrap(wrapped, bound(keyId, context));
        } catch (IllegalStateException | BufferUnderflowException e) {
            throw new KeyException("InvalidCiphertext", "the wrapped key does not unwrap with the local key file for "
                    + "key " + keyId + " and this backup", e);
        }
    }

    /** Apart from the contexts the secret box seals with (location/..., cluster/...): no value opens as the other. */
    private static String bound(String keyId, String context) {
        return "kms-key/" + keyId + "/" + context;
    }
}
