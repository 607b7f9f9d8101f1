package io.lifeboat.run;

/** A reason that ends a backup or a restore as Failed; its message is what the user sees. */
public final class RunFailure extends RuntimeException {
    public RunFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public RunFailure(String message) {
        super(message, null);
    }
}
