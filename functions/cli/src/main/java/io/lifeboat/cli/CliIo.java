package io.lifeboat.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;

/**
 * What one run of the command sees of the world: its output and error streams, standard input, the environment,
 * whether the output is a terminal, the clock and the time zone times are shown in. {@link Lifeboat#main} builds it
 * from the process; tests build their own, so that a run in process reads no real HOME and writes to no real terminal.
 */
public record CliIo(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env, boolean terminal,
                    Clock clock, ZoneId zone) {

    /** The process's own: System.out and System.err, its environment, and a terminal when Java sees a console. */
    public static CliIo ofProcess() {
        Map<String, String> env = System.getenv();
        boolean terminal = System.console() != null && !"dumb".equals(env.get("TERM"));
        return new CliIo(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.in, env, terminal,
                Clock.systemUTC(), ZoneId.systemDefault());
    }

    /** An environment variable, or null when it is unset or empty. */
    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
