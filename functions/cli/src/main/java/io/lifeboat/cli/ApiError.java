package io.lifeboat.cli;

/**
 * An error answer of the API, in its one shape {@code {"error": {"status", "code", "field"?, "message"}}}. The
 * message shown is the API's; a field it names is shown too, with the flag that sets it when the command has one.
 */
final class ApiError extends CliException {
    private final int status;
    private final String code;
    private final String field;

    ApiError(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** The request field the API named, as sent (e.g. {@code namespaces[1]}), or null. */
    String field() {
        return field;
    }
}
