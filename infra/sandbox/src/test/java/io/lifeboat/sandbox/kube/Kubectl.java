package io.lifeboat.sandbox.kube;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs the real kubectl against a sandbox's kubeconfig file, with a timeout and its own discovery cache. */
public final class Kubectl {
    private static final long TIMEOUT_SECONDS = 60;

    public record Result(int exitCode, String stdout, String stderr) {
        public Result assertSuccess() {
            assertEquals(0, exitCode, () -> "kubectl failed:\n" + stderr + "\n" + stdout);
            return this;
        }
    }

    private final Path kubeconfig;
    private final Path cacheDir;

    public Kubectl(Path kubeconfig, Path cacheDir) {
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
    }

    /** kubectl comes with this kind of machine; without it these tests fail rather than hide the gap. */
    public static void requireInstalled() {
        boolean found = false;
        String path = System.getenv("PATH");
        if (path != null) {
            for (String folder : path.split(":")) {
                if (Files.isExecutable(Path.of(folder, "kubectl"))) {
                    found = true;
                    break;
                }
            }
        }
        Assertions.assertTrue(found, "kubectl is not on PATH: the kubectl tests need it (it comes with this machine kind)");
    }

    public Result run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cacheDir.toString(), "--request-timeout", "20s"));
        command.addAll(List.of(arguments));
        try {
            Path stdout = Files.createTempFile(cacheDir, "kubectl-out", ".txt");
            Path stderr = Files.createTempFile(cacheDir, "kubectl-err", ".txt");
            Process process = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("kubectl did not finish within " + TIMEOUT_SECONDS + " s: " + command + "\n"
                        + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
