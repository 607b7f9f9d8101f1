package io.lifeboat.restore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.ArchiveReader;
import io.lifeboat.archive.Layout;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a backup archive once, as it streams from the object store, and files its items by type in a local folder,
 * so that they can be applied in restore order without holding the archive in memory. The archive is refused,
 * before anything could be applied, when its SHA-256 is not the recorded one, when it is truncated, when an entry
 * path is unsafe or too large, or when its format version is not Velero's 1.x.
 */
public final class ArchiveSpool implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path folder;
    private final Map<String, Path> files = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    private ArchiveSpool(Path folder) {
        this.folder = folder;
    }

    /**
     * Spools the archive. {@code expectedSha256} is the backup record's (null for an archive Lifeboat did not write,
     * such as Velero's, which records none).
     */
    public static ArchiveSpool read(InputStream compressed, String expectedSha256, long maxEntryBytes, Path folder) {
        ArchiveSpool spool = new ArchiveSpool(folder);
        try {
            Files.createDirectories(folder);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            DigestInputStream hashed = new DigestInputStream(compressed, digest);
            String version = null;
            try (ArchiveReader reader = new ArchiveReader(hashed, maxEntryBytes)) {
                Map<String, DataOutputStream> writers = new LinkedHashMap<>();
                try {
                    for (ArchiveReader.Entry entry; (entry = reader.next()) != null; ) {
                        if (entry.path().equals(Layout.VERSION_ENTRY)) {
                            version = entry.text().trim();
                            continue;
                        }
                        Layout.ItemEntry item = Layout.parseItemEntry(entry.path());
                        if (item == null || item.preferredVersion() != null) {
                            continue; // folders, and the preferred-version copies of items read at the top
                        }
                        DataOutputStream out = writers.computeIfAbsent(item.resourceFolder(), spool::open);
                        out.writeInt(entry.content().length);
                        out.write(entry.content());
                        spool.counts.merge(item.resourceFolder(), 1, Integer::sum);
                    }
                    hashed.transferTo(java.io.OutputStream.nullOutputStream()); // the gzip trailer and padding
                } finally {
                    for (DataOutputStream out : writers.values()) {
                        out.close();
                    }
                }
            }
            if (version == null || !version.startsWith("1.")) {
                throw new ArchiveReader.ArchiveException("the archive's format version is "
                        + (version == null ? "missing" : "'" + version + "'") + ", not Velero's 1.x");
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (expectedSha256 != null && !expectedSha256.equals(actual)) {
                throw new ArchiveReader.ArchiveException("the archive's SHA-256 is " + actual + ", but the backup recorded "
                        + expectedSha256 + ": it was changed or damaged after the backup");
            }
            return spool;
        } catch (IOException e) {
            spool.close();
            throw new ArchiveReader.ArchiveException("the archive could not be read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            spool.close();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            spool.close();
            throw e;
        }
    }

    private DataOutputStream open(String resourceFolder) {
        try {
            Path file = folder.resolve(files.size() + ".items");
            files.put(resourceFolder, file);
            return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The types the archive holds, as resource folders ({@code deployments.apps}), in restore order. */
    public List<String> resourceFolders() {
        return RestoreOrder.sort(new ArrayList<>(files.keySet()));
    }

    public int count(String resourceFolder) {
        return counts.getOrDefault(resourceFolder, 0);
    }

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Hands each item of the type to {@code each}, in archive order, one at a time. */
    public void forEach(String resourceFolder, Consumer<ObjectNode> each) {
        Path file = files.get(resourceFolder);
        if (file == null) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024))) {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return;
                }
                byte[] content = in.readNBytes(length);
                each.accept((ObjectNode) JSON.readTree(new String(content, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (var paths = Files.exists(folder) ? Files.walk(folder) : java.util.stream.Stream.<Path>empty()) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
