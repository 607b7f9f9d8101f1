package io.lifeboat.objectstore;

/** An object-store failure, with a short reason word (NoSuchBucket, AccessDenied, UnknownHost, CertificateError...). */
public class StoreException extends RuntimeException {
    private final String reason;

    public StoreException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public StoreException(String reason, String message) {
        this(reason, message, null);
    }

    public String reason() {
        return reason;
    }
}
