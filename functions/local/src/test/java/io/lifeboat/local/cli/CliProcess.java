package io.lifeboat.local.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lifeboat.cli.Lifeboat;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code lifeboat} command as its own process, the way a user starts it: from the self-contained jar that
 * functions/cli packages ({@code lifeboat.cli.jar}; built before these tests by package and verify), or, when a
 * build ran only to the test phase, from the CLI's classes and its four libraries.
 */
final class CliProcess {
    private CliProcess() {
    }

    static Path jar() {
        return Path.of(System.getProperty("lifeboat.cli.jar", "../cli/target/lifeboat.jar")).toAbsolutePath().normalize();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** java, the JVM options, then what runs the command. */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        if (Files.isRegularFile(jar())) {
            command.add("-jar");
            command.add(jar().toString());
        } else {
            command.add("-cp");
            command.add(Stream.of(Lifeboat.class, CommandLine.class, ObjectMapper.class, JsonFactory.class,
                            com.fasterxml.jackson.annotation.JsonProperty.class, YAMLFactory.class, org.yaml.snakeyaml.Yaml.class)
                    .map(CliProcess::location).distinct().collect(Collectors.joining(java.io.File.pathSeparator)));
            command.add(Lifeboat.class.getName());
        }
        command.addAll(List.of(args));
        return command;
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    record Ran(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs to the end (at most 5 minutes) with stdout and stderr as pipes, HOME set to {@code home}. */
    static Ran run(Path home, Path workingDirectory, List<String> command) {
        try {
            Path out = Files.createTempFile("cli-out", ".txt");
            Path err = Files.createTempFile("cli-err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().put("HOME", home.toString());
            builder.environment().remove("XDG_CONFIG_HOME");
            builder.environment().remove("LIFEBOAT_TOKEN");
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("the command did not end within 5 minutes: " + command);
            }
            return new Ran(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
