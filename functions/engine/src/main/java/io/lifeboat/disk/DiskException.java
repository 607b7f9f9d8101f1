package io.lifeboat.disk;

/**
 * A cloud's refusal or failure, with its own code ({@code InvalidVolume.NotFound}, {@code RequestLimitExceeded},
 * {@code ResourceNotFound}, an HTTP status): {@code retryable} for throttling, 5xx and timeouts, which the caller may
 * ask again later. Messages never carry credentials.
 */
public class DiskException extends RuntimeException {
    private final String code;
    private final boolean retryable;

    public DiskException(String code, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    public DiskException(String code, boolean retryable, String message) {
        this(code, retryable, message, null);
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
