package io.lifeboat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a secret (a key, a client secret, a service-account key, a kubeconfig) from a file, or from standard input
 * when the file is "-": never from a flag's value, so that it lands in no shell history and no process list. Errors
 * name the flag and the file, never the content.
 */
final class Secrets {
    private Secrets() {
    }

    /** The content, with a trailing line break removed when {@code oneLine} (a key typed with echo). */
    static String read(CliIo io, String flag, String source, boolean oneLine) {
        if (source == null) {
            return null;
        }
        String content;
        try {
            if (source.equals("-")) {
                content = new String(io.in().readAllBytes(), StandardCharsets.UTF_8);
            } else {
                content = Files.readString(Path.of(source), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new CliException(flag + ": cannot read " + (source.equals("-") ? "standard input" : source)
                    + " (" + e.getClass().getSimpleName() + ")");
        }
        if (oneLine) {
            content = content.strip();
        }
        if (content.isBlank()) {
            throw new CliException(flag + ": " + (source.equals("-") ? "standard input" : source) + " is empty");
        }
        return content;
    }

    /** Refuses two flags reading standard input in one command: only one of them could have it. */
    static void oneStdin(String... sources) {
        int dashes = 0;
        for (String source : sources) {
            if ("-".equals(source)) {
                dashes++;
            }
        }
        if (dashes > 1) {
            throw new CliException("only one flag can read standard input ('-'); give the others files", ExitCodes.USAGE);
        }
    }
}
