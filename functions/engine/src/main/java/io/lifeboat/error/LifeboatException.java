package io.lifeboat.error;

/** A failure the API answers with a 4xx status and a body naming what was wrong. */
public abstract class LifeboatException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    protected LifeboatException(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public int status() {
        return status;
    }

    /** A stable machine-readable word: InvalidField, NotFound, Conflict... */
    public String code() {
        return code;
    }

    /** The request field at fault, or null when no single field is. */
    public String field() {
        return field;
    }
}
