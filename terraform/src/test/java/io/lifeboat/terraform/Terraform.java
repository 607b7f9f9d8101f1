package io.lifeboat.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the terraform CLI on a copy of terraform/*.tf in target/, offline: providers come from the filesystem mirror
 * this machine kind carries, and the AWS provider gets fake keys and skips every call it would make to AWS.
 */
final class Terraform {
    /** Merged into the provider block: no credentials, no account lookup, no metadata service. */
    private static final String OFFLINE_PROVIDER = """
            provider "aws" {
              access_key                  = "AKIAIOSFODNN7EXAMPLE"
              secret_key                  = "offline-check-not-a-real-key"
              skip_credentials_validation = true
              skip_requesting_account_id  = true
              skip_metadata_api_check     = true
              skip_region_validation      = true
            }
            """;

    record Result(int exitCode, String output) {
    }

    private final Path work;
    private final Map<String, String> environment;

    private Terraform(Path work, Map<String, String> environment) {
        this.work = work;
        this.environment = environment;
    }

    /** The folder of the provider mirror: the parent of a folder named registry.terraform.io, within 3 levels of /. */
    static Optional<Path> providerMirror() {
        return findMirror(Path.of("/"), 0);
    }

    private static Optional<Path> findMirror(Path folder, int depth) {
        if (depth == 3) {
            return Optional.empty();
        }
        List<Path> children;
        try (Stream<Path> list = Files.list(folder)) {
            children = list.filter(Files::isDirectory).sorted().toList();
        } catch (IOException | UncheckedIOException unreadable) {
            return Optional.empty();
        }
        for (Path child : children) {
            if (child.getFileName().toString().equals("registry.terraform.io")) {
                return Optional.of(folder);
            }
        }
        for (Path child : children) {
            String name = child.toString();
            if (name.equals("/proc") || name.equals("/sys") || name.equals("/dev")) {
                continue;
            }
            Optional<Path> found = findMirror(child, depth + 1);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Copies the configuration into {@code work} and points terraform at the mirror. */
    static Terraform offline(Path configuration, Path work, Path mirror) {
        try {
            Files.createDirectories(work);
            try (Stream<Path> old = Files.list(work)) {
                for (Path file : old.filter(p -> p.toString().endsWith(".tf")).toList()) {
                    Files.delete(file);
                }
            }
            try (Stream<Path> files = Files.list(configuration)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".tf")).toList()) {
                    Files.copy(file, work.resolve(file.getFileName()));
                }
            }
            Files.writeString(work.resolve("offline_override.tf"), OFFLINE_PROVIDER);
            Path cliConfig = work.resolve("offline.tfrc");
            Files.writeString(cliConfig, """
                    provider_installation {
                      filesystem_mirror {
                        path    = "%s"
                        include = ["registry.terraform.io/hashicorp/*"]
                      }
                      direct {
                        exclude = ["registry.terraform.io/hashicorp/*"]
                      }
                    }
                    """.formatted(mirror));
            return new Terraform(work, Map.of(
                    "TF_CLI_CONFIG_FILE", cliConfig.toString(),
                    "TF_DATA_DIR", work.resolve(".terraform").toString(),
                    "TF_IN_AUTOMATION", "1",
                    "TF_INPUT", "0",
                    "CHECKPOINT_DISABLE", "1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path work() {
        return work;
    }

    Result run(String... arguments) {
        return run(work, environment, null, arguments);
    }

    /** Runs terraform with its standard output going to {@code output} (its messages stay in the result). */
    Result runInto(Path output, String... arguments) {
        return run(work, environment, output, arguments);
    }

    static Result run(Path folder, Map<String, String> environment, String... arguments) {
        return run(folder, environment, null, arguments);
    }

    /** Runs terraform in {@code folder}; fails the test if it does not finish within 5 minutes. */
    private static Result run(Path folder, Map<String, String> environment, Path output, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("terraform");
        command.addAll(List.of(arguments));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile());
            if (output == null) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectOutput(output.toFile());
            }
            builder.environment().putAll(environment);
            builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
            Process process = builder.start();
            byte[] messages = (output == null ? process.getInputStream() : process.getErrorStream()).readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("terraform " + String.join(" ", arguments) + " did not finish in 5 minutes");
            }
            return new Result(process.exitValue(), new String(messages, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run terraform (is it on PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
