package io.lifeboat.local.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real terminal for a test: a detached tmux session of a given size running one shell command, read with
 * capture-pane (the screen as a person sees it, escape codes applied). Closing it kills the session.
 */
final class Tmux implements AutoCloseable {
    private final String session;

    private Tmux(String session) {
        this.session = session;
    }

    /** Starts {@code shellCommand} in a new session of 160 columns and 40 lines. */
    static Tmux start(String name, String shellCommand) throws IOException, InterruptedException {
        String session = name + "-" + ProcessHandle.current().pid();
        run("tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "40", shellCommand);
        return new Tmux(session);
    }

    /** The screen now, one string per line, trailing blank lines dropped. */
    List<String> screen() throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>(run("tmux", "capture-pane", "-p", "-t", session).lines().toList());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /**
     * Reads the screen until a line starts with {@code marker} (at most {@code limit}: a bound, not a timing), and
     * answers every distinct screen seen on the way, the last one last.
     */
    List<List<String>> screensUntil(String marker, Duration limit) throws IOException, InterruptedException {
        List<List<String>> screens = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> screen = screen();
            if (screens.isEmpty() || !screens.get(screens.size() - 1).equals(screen)) {
                screens.add(screen);
            }
            if (screen.stream().anyMatch(l -> l.startsWith(marker))) {
                return screens;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line starting with " + marker + " within " + limit + "; last screen:\n"
                + String.join("\n", screens.isEmpty() ? List.of() : screens.get(screens.size() - 1)));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("tmux", "kill-session", "-t", session).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
