package io.lifeboat.cli;

/**
 * A failure the user is told about in one sentence, without a stack trace, and the exit code it ends the command with
 * (1 unless said otherwise). Its message never holds a secret.
 */
class CliException extends RuntimeException {
    private final int exitCode;

    CliException(String message) {
        this(message, ExitCodes.ERROR);
    }

    CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
