package io.lifeboat.secret;

/** Hands out data keys for envelope encryption: a fresh key with its wrapped form, and unwrapping. */
public interface DataKeys {
    DataKey generate(String context);

    byte[] unwrap(byte[] wrapped, String context);

    /** A 256-bit AES key in clear (kept in memory only) and the same key wrapped by the master key. */
    record DataKey(byte[] plaintext, byte[] wrapped) {
    }
}
