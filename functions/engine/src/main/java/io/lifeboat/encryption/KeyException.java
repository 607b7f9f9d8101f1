package io.lifeboat.encryption;

/**
 * The key service refused or failed: {@code reason} is one word (AccessDenied, NotFound, Disabled, InvalidCiphertext,
 * KeyNotConfigured...). The message names the key and the operation, never key material.
 */
public class KeyException extends RuntimeException {
    private final String reason;

    public KeyException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public KeyException(String reason, String message) {
        this(reason, message, null);
    }

    public String reason() {
        return reason;
    }
}
