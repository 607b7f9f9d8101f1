package io.lifeboat.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Test tool: reads a backup tarball as a Velero server running as a non-root user would ({@link VeleroExtractor} in
 * a child JVM). When this JVM is root, which bypasses every permission check, the child runs as nobody (uid and gid
 * 65534) through util-linux's {@code setpriv}; it gets a world-writable workspace and a copy of its class path that
 * nobody can read.
 */
public final class NonRootVelero {
    public static final int NOBODY = 65534;

    private NonRootVelero() {
    }

    /** One item as the parser found it: its file name without .json is its name; version is null at the top. */
    public record Item(String folder, String version, String namespace, String name, byte[] content) {
    }

    /** What the child did: its exit code and error output, and what it parsed (empty when extraction failed). */
    public record Reading(int exitCode, String errors, Map<String, List<String>> versionFolders, List<Item> items) {
        public boolean extracted() {
            return exitCode == 0;
        }

        /** The items found at the top of their folder ({@code resources/<folder>/{cluster,namespaces/<ns>}/}). */
        public List<Item> topItems() {
            return items.stream().filter(i -> i.version() == null).toList();
        }
    }

    public static boolean runningAsRoot() {
        try {
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    public static Reading read(byte[] tarball) {
        Path workspace = null;
        try {
            workspace = Files.createTempDirectory("lifeboat-velero-read-");
            Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path classPath = Files.createDirectory(workspace.resolve("cp"));
            Path classes = Files.createDirectories(classPath.resolve("classes/io/lifeboat/archive"));
            try (InputStream own = VeleroExtractor.class.getResourceAsStream("VeleroExtractor.class")) {
                Files.copy(own, classes.resolve("VeleroExtractor.class"));
            }
            List<String> entries = new ArrayList<>(List.of(classPath.resolve("classes").toString()));
            for (String dependency : List.of(TarArchiveInputStream.class.getName(), "org.apache.commons.io.IOUtils",
                    "org.apache.commons.lang3.StringUtils", "org.apache.commons.codec.binary.Hex")) {
                Path jar = jarOf(dependency);
                if (jar != null) {
                    Path copy = classPath.resolve(jar.getFileName());
                    Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
                    entries.add(copy.toString());
                }
            }
            Path archive = workspace.resolve("backup.tar.gz");
            Files.write(archive, tarball);
            Path out = Files.createDirectory(workspace.resolve("out"));
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));

            List<String> command = new ArrayList<>();
            if (runningAsRoot()) {
                Path setpriv = Stream.of("/usr/bin/setpriv", "/bin/setpriv").map(Path::of).filter(Files::isExecutable)
                        .findFirst().orElseThrow(() -> new IllegalStateException(
                                "setpriv (util-linux) is needed to read the archive as a non-root user"));
                command.addAll(List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                    "-XX:TieredStopAtLevel=1", "-cp", String.join(":", entries), VeleroExtractor.class.getName(),
                    archive.toString(), out.toString()));
            Process child = new ProcessBuilder(command).directory(workspace.toFile()).start();
            child.getOutputStream().close();
            StringBuilder errors = new StringBuilder();
            Thread drain = new Thread(() -> {
                try {
                    errors.append(new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    errors.append(e);
                }
            });
            drain.start();
            String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!child.waitFor(120, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new IllegalStateException("the Velero reader did not finish within 120 s");
            }
            drain.join();
            return parse(child.exitValue(), errors.toString(), stdout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteTree(workspace);
        }
    }

    private static Reading parse(int exitCode, String errors, String stdout) {
        Map<String, List<String>> versions = new LinkedHashMap<>();
        List<Item> items = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("FOLDER")) {
                versions.put(f[1], f[2].isEmpty() ? List.of() : List.of(f[2].split(",")));
            } else if (f[0].equals("ITEM")) {
                items.add(new Item(f[1], f[2].equals("-") ? null : f[2], f[3].equals("-") ? null : f[3], f[4],
                        Base64.getDecoder().decode(f[5])));
            }
        }
        return new Reading(exitCode, errors, versions, items);
    }

    private static Path jarOf(String className) {
        try {
            CodeSource source = Class.forName(className).getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                throw new IllegalStateException("cannot tell which jar holds " + className);
            }
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) ? path : null;
        } catch (ClassNotFoundException e) {
            return null; // not a dependency of this commons-compress
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isDirectory(p)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
                }
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
