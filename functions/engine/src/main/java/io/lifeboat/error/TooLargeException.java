package io.lifeboat.error;

/** A file read from a bucket that expands past its limit (a gzip bomb, or a damaged file): answered with 422. */
public class TooLargeException extends LifeboatException {
    public TooLargeException(String message) {
        super(422, "TooLarge", null, message);
    }
}
