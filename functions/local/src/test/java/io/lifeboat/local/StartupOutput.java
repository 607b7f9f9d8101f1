package io.lifeboat.local;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a user sees at start-up, from before local mode starts (test resources start before the application): the
 * log records, which go to a file as well as to the console here (the console handler was made before this resource
 * started), and a copy of whatever is printed to standard output and standard error outside the log.
 */
public class StartupOutput implements QuarkusTestResourceLifecycleManager {
    private static final ByteArrayOutputStream COPY = new ByteArrayOutputStream();
    private static Path logFile;
    private PrintStream out;
    private PrintStream err;

    @Override
    public Map<String, String> start() {
        out = System.out;
        err = System.err;
        System.setOut(new PrintStream(new Tee(out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err), true, StandardCharsets.UTF_8));
        try {
            logFile = Files.createTempDirectory("lifeboat-startup").resolve("local.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.log.file.enabled", "true", "quarkus.log.file.path", logFile.toString(),
                "quarkus.log.file.format", "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n");
    }

    @Override
    public void stop() {
        System.setOut(out);
        System.setErr(err);
    }

    /** The log records so far, as the console shows them. */
    public static String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What was printed outside the log so far (the console's own lines are not in it). */
    public static String printed() {
        synchronized (COPY) {
            return COPY.toString(StandardCharsets.UTF_8);
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream original;

        Tee(OutputStream original) {
            this.original = original;
        }

        @Override
        public void write(int b) {
            synchronized (COPY) {
                COPY.write(b);
            }
            try {
                original.write(b);
            } catch (java.io.IOException ignored) {
                // the copy is what the test reads
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (COPY) {
                COPY.write(b, off, len);
            }
            try {
                original.write(b, off, len);
            } catch (java.io.IOException ignored) {
                // the copy is what the test reads
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            original.flush();
        }
    }
}
