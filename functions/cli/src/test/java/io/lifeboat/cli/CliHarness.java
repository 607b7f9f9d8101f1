package io.lifeboat.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the {@code lifeboat} command in this JVM, as a user would run it, and keeps what it printed and its exit code.
 * Each harness has its own HOME (a fresh temporary folder, so no test reads or writes the real config file), no
 * terminal, times shown in UTC, and talks to {@code server} unless a test passes {@code --server} itself.
 */
public final class CliHarness {
    /** What one run printed, and how it ended. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private final String server;
    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    public CliHarness(String server) {
        this.server = server;
        try {
            this.home = Files.createTempDirectory("lifeboat-cli-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("HOME", home.toString());
    }

    public Path home() {
        return home;
    }

    /** Sets (or with null, removes) an environment variable the command sees. */
    public CliHarness env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    /** An io of this harness that writes nowhere, for looking at the command tree. */
    CliIo io() {
        return new CliIo(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                new ByteArrayInputStream(new byte[0]), Map.copyOf(env), false, Clock.systemUTC(), ZoneId.of("UTC"));
    }

    public Result run(String... args) {
        return runWithInput("", args);
    }

    /** Runs with {@code stdin} as standard input. */
    public Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliIo io = new CliIo(new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Map.copyOf(env), false,
                Clock.systemUTC(), ZoneId.of("UTC"));
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (server != null && !all.contains("--server") && !all.contains("config")
                && !all.contains("completion")) {
            all.add("--server");
            all.add(server);
        }
        int code = Lifeboat.run(all.toArray(String[]::new), io);
        return new Result(code, out.toString(), err.toString());
    }
}
