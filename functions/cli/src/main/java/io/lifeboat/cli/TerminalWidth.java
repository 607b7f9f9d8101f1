package io.lifeboat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * How many columns the terminal has: COLUMNS when the shell exports it, else what {@code stty size} says of the
 * controlling terminal, else 80.
 */
final class TerminalWidth {
    static final int DEFAULT = 80;

    private TerminalWidth() {
    }

    static int of(CliIo io) {
        Integer columns = parse(io.env("COLUMNS"));
        if (columns != null) {
            return columns;
        }
        try {
            Process stty = new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0 && size.contains(" ")) {
                columns = parse(size.substring(size.indexOf(' ') + 1));
            }
        } catch (IOException e) {
            return DEFAULT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULT;
        }
        return columns != null ? columns : DEFAULT;
    }

    private static Integer parse(String text) {
        try {
            int value = Integer.parseInt(text == null ? "" : text.trim());
            return value >= 20 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
