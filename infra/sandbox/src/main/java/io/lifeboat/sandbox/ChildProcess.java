package io.lifeboat.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A server run as a child process: started, awaited on its port, and killed with its descendants on close. */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Thread shutdownHook;

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.shutdownHook = new Thread(this::kill, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the command with its output in {@code log}, then waits until 127.0.0.1:port accepts connections. */
    public static ChildProcess start(String name, List<String> command, Path log, int port, Duration timeout) {
        Process process;
        try {
            log.toAbsolutePath().getParent().toFile().mkdirs();
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        ChildProcess child = new ChildProcess(name, process);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                child.close();
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " during start; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return child;
            } catch (IOException notYet) {
                sleep();
            }
        }
        child.close();
        throw new IllegalStateException(name + " did not listen on port " + port + " within " + timeout + "; see " + log);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
