package io.lifeboat.error;

/** A name already taken, or a state that forbids the request: answered with 409. */
public class ConflictException extends LifeboatException {
    public ConflictException(String field, String message) {
        super(409, "Conflict", field, message);
    }
}
