package io.lifeboat.cli;

/**
 * The exit codes, as scripts read them: 0 done (a run Completed), 1 an error (or a run Failed), 2 a run
 * PartiallyFailed, 64 the command line itself was wrong (sysexits' EX_USAGE; picocli's own 2 would read as
 * PartiallyFailed).
 */
final class ExitCodes {
    static final int OK = 0;
    static final int ERROR = 1;
    static final int PARTIALLY_FAILED = 2;
    static final int USAGE = 64;

    private ExitCodes() {
    }

    /** The code a finished run's phase ends {@code --wait} with. */
    static int ofPhase(String phase) {
        return switch (phase) {
            case "Completed" -> OK;
            case "PartiallyFailed" -> PARTIALLY_FAILED;
            default -> ERROR;
        };
    }
}
