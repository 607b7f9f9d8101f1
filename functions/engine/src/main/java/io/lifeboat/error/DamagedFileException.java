package io.lifeboat.error;

/**
 * A file read from a bucket that is not as it was written: an encrypted object that fails authentication, or an
 * encryption header that is not Lifeboat's. Answered with 422.
 */
public class DamagedFileException extends LifeboatException {
    public DamagedFileException(String message) {
        super(422, "Damaged", null, message);
    }
}
