package io.lifeboat.error;

/** Bad input: answered with 400 and the name of the field. */
public class InvalidInputException extends LifeboatException {
    public InvalidInputException(String field, String message) {
        super(400, "InvalidField", field, field + ": " + message);
    }
}
