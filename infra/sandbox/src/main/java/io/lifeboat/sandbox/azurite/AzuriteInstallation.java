package io.lifeboat.sandbox.azurite;

import io.lifeboat.sandbox.Tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azurite installed with npm under the tools folder (target/tools/azurite of the checkout). It is installed on first
 * use; a file lock keeps two JVMs (parallel builds, local mode beside tests) from running npm into the same folder.
 */
public final class AzuriteInstallation {
    public static final String VERSION = "3.37.0";
    private static final long INSTALL_TIMEOUT_MINUTES = 10;

    private static final Object IN_THIS_JVM = new Object();

    private final Path folder;

    private AzuriteInstallation(Path folder) {
        this.folder = folder;
    }

    /** The installation in the default tools folder, installed now if it is missing. */
    public static AzuriteInstallation ensure() {
        return ensure(Tools.folder().resolve("azurite"));
    }

    public static AzuriteInstallation ensure(Path folder) {
        AzuriteInstallation installation = new AzuriteInstallation(folder.toAbsolutePath());
        installation.installIfMissing();
        return installation;
    }

    public Path folder() {
        return folder;
    }

    /** The azurite-blob launcher script npm linked into node_modules/.bin. */
    public Path blobLauncher() {
        return folder.resolve("node_modules").resolve(".bin").resolve("azurite-blob");
    }

    /**
     * The marker is written after npm succeeded, under the lock: a folder another JVM is still installing into
     * (package files there, links not yet) does not count as installed.
     */
    private boolean installed() {
        return Files.isRegularFile(marker()) && Files.isExecutable(blobLauncher());
    }

    private Path marker() {
        return folder.resolve(".installed-" + VERSION);
    }

    private void installIfMissing() {
        if (installed()) {
            return;
        }
        // The file lock guards against other JVMs only: a second thread of this one would get
        // OverlappingFileLockException, so threads queue on a monitor first.
        synchronized (IN_THIS_JVM) {
            installUnderFileLock();
        }
    }

    private void installUnderFileLock() {
        try {
            Files.createDirectories(folder);
            try (FileChannel channel = FileChannel.open(folder.resolve(".install.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock();
                try {
                    // another JVM may have finished the install while we waited for the lock
                    if (!installed()) {
                        runNpmInstall();
                        Files.writeString(marker(), "azurite@" + VERSION + " installed by npm\n");
                    }
                } finally {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install Azurite into " + folder, e);
        }
        if (!installed()) {
            throw new IllegalStateException("npm finished but Azurite " + VERSION + " is not in " + folder);
        }
    }

    private void runNpmInstall() throws IOException {
        Path log = folder.resolve("npm-install.log");
        List<String> command = List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", folder.toString(),
                "azurite@" + VERSION);
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("npm install of Azurite took over " + INSTALL_TIMEOUT_MINUTES
                        + " minutes; see " + log);
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing Azurite", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("npm install of Azurite failed with exit code " + process.exitValue()
                    + ": " + tail(log));
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}
