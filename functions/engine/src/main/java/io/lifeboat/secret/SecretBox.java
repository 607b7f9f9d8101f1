package io.lifeboat.secret;

/**
 * Seals secrets at rest with envelope encryption. {@code context} is bound to the ciphertext (as associated data),
 * so a sealed value copied onto another record fails to open.
 */
public interface SecretBox {
    byte[] seal(byte[] plaintext, String context);

    byte[] open(byte[] sealed, String context);
}
