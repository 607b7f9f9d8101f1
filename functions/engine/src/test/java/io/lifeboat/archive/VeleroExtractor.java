package io.lifeboat.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Test tool, run in a child JVM as a non-root user by {@link NonRootVelero}: reads a backup tarball the way a Velero
 * server does. It extracts as pkg/archive/extractor.go does (each regular file's parent folders made with
 * Go's MkdirAll and the entry's own mode, under umask 022; folder entries made with their mode; every path kept
 * inside the target folder), then walks the result as pkg/archive/parser.go does. It prints one line per resource
 * folder and per item found; a failure is printed to stderr with exit code 2, as Velero would fail the restore.
 *
 * <p>Kept to plain JDK and commons-compress, with no nested classes, so that it runs from a copied class path.
 */
public final class VeleroExtractor {
    private static final int UMASK = 0022;

    private VeleroExtractor() {
    }

    /** {@code <tarball> <workspace>}: extracts into a new folder of the workspace, then parses it. */
    public static void main(String[] args) throws IOException {
        Path root = Files.createTempDirectory(Path.of(args[1]), "velero-restore-");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try {
            extract(Path.of(args[0]), root);
        } catch (IOException | RuntimeException e) {
            System.err.println("extraction failed: " + e);
            System.exit(2);
        }
        try {
            parse(root, out);
        } catch (IOException | RuntimeException e) {
            System.err.println("parsing failed: " + e);
            System.exit(3);
        }
    }

    static void extract(Path tarball, Path root) throws IOException {
        try (InputStream file = Files.newInputStream(tarball);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file), StandardCharsets.UTF_8.name())) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("invalid archive path " + entry.getName() + ": escapes target directory");
                }
                if (entry.isDirectory()) {
                    mkdirAll(target, entry.getMode());
                } else if (entry.isFile()) {
                    mkdirAll(target.getParent(), entry.getMode());
                    try (OutputStream copy = Files.newOutputStream(target)) { // os.Create: 0666 before the umask
                        tar.transferTo(copy);
                    }
                }
            }
        }
    }

    /** Go's os.MkdirAll: nothing when the folder exists, else its parents first, then the folder with {@code mode}. */
    static void mkdirAll(Path dir, int mode) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            mkdirAll(dir.getParent(), mode);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(permissions(mode & 0777 & ~UMASK)));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, high bit first
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    /**
     * parser.go: {@code resources/<folder>/cluster/*.json} and {@code resources/<folder>/namespaces/<ns>/*.json}, the
     * item's name being the file name without .json; and the version folders beside them (ParseGroupVersions), whose
     * items are read the same way.
     * Prints {@code FOLDER\t<folder>\t<version folders, comma-separated>} and
     * {@code ITEM\t<folder>\t<version folder or ->\t<namespace or ->\t<name>\t<content, base64>}.
     */
    static void parse(Path root, PrintStream out) throws IOException {
        Path resources = root.resolve("resources");
        for (Path folder : children(resources)) {
            if (!Files.isDirectory(folder)) {
                continue; // parser.go: "Ignoring unexpected file"
            }
            String name = folder.getFileName().toString();
            List<String> versions = new ArrayList<>();
            for (Path child : children(folder)) {
                String childName = child.getFileName().toString();
                if (!childName.equals("cluster") && !childName.equals("namespaces")) {
                    versions.add(childName);
                    items(out, name, childName, child);
                }
            }
            items(out, name, "-", folder);
            out.println("FOLDER\t" + name + "\t" + String.join(",", versions));
        }
    }

    private static void items(PrintStream out, String folder, String version, Path scopeParent) throws IOException {
        Path cluster = scopeParent.resolve("cluster");
        if (Files.isDirectory(cluster)) {
            scope(out, folder, version, "-", cluster);
        }
        Path namespaces = scopeParent.resolve("namespaces");
        if (Files.isDirectory(namespaces)) {
            for (Path namespace : children(namespaces)) {
                if (Files.isDirectory(namespace)) {
                    scope(out, folder, version, namespace.getFileName().toString(), namespace);
                }
            }
        }
    }

    private static void scope(PrintStream out, String folder, String version, String namespace, Path dir) throws IOException {
        for (Path file : children(dir)) {
            if (Files.isDirectory(file)) {
                continue; // parser.go: "Ignoring unexpected subdirectory"
            }
            String fileName = file.getFileName().toString();
            String item = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
            out.println("ITEM\t" + folder + "\t" + version + "\t" + namespace + "\t" + item + "\t"
                    + Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
        }
    }

    private static List<Path> children(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }
}
