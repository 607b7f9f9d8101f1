package io.lifeboat.encryption;

/**
 * The key service that wraps the data keys of encrypted backups: AWS KMS in the cloud, the local key file in local
 * mode. A location's {@code encryption.kmsKeyId} names the key; {@code context} is bound to the wrapped key (KMS's
 * encryption context, the local key's associated data), so a wrapped key copied into another backup's folder does not
 * unwrap. Failures are {@link KeyException}s, whose messages never hold key material.
 */
public interface KeyWrapper {
    /** A fresh 256-bit data key, in clear (memory only) and wrapped by the key {@code keyId}. */
    DataKey newDataKey(String keyId, String context);

    /** The data key {@code wrapped} holds, unwrapped by the key {@code keyId} with the same {@code context}. */
    byte[] unwrap(String keyId, byte[] wrapped, String context);

    /** A data key in clear and the same key wrapped. */
    record DataKey(byte[] plaintext, byte[] wrapped) {
        @Override
        public String toString() {
            return "DataKey[" + wrapped.length + " bytes wrapped]"; // never the key itself
        }
    }

    /** No key service: every encrypted location fails with reason KeyNotConfigured. */
    KeyWrapper NONE = new KeyWrapper() {
        @Override
        public DataKey newDataKey(String keyId, String context) {
            throw notConfigured();
        }

        @Override
        public byte[] unwrap(String keyId, byte[] wrapped, String context) {
            throw notConfigured();
        }

        private KeyException notConfigured() {
            return new KeyException("KeyNotConfigured", "no key service is configured to wrap data keys");
        }
    };
}
