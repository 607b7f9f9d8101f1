package io.lifeboat.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a backup tarball entry by entry, refusing what a restore must never trust: absolute paths, "..", entries
 * outside resources/ and metadata/, anything but regular files and folders (symbolic and hard links, devices,
 * FIFOs, sparse files), entries larger than the limit, and archives past the limits on their decompressed size and
 * their number of entries.
 */
public final class ArchiveReader implements AutoCloseable {
    private final TarArchiveInputStream tar;
    private final ArchiveLimits limits;
    private long entries;

    public ArchiveReader(InputStream compressed, long maxEntryBytes) {
        this(compressed, ArchiveLimits.withMaxEntryBytes(maxEntryBytes));
    }

    public ArchiveReader(InputStream compressed, ArchiveLimits limits) {
        try {
            this.tar = new TarArchiveInputStream(BoundedGzip.open(compressed, limits.maxTotalBytes(),
                    "the archive"), StandardCharsets.UTF_8.name());
        } catch (IOException e) {
            throw new ArchiveException("the archive is not gzip data: " + e.getMessage(), e);
        }
        this.limits = limits;
    }

    /** The next file entry with its content, or null at the end. */
    public Entry next() {
        try {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new ArchiveException("the archive has more than " + limits.maxEntries() + " entries (limit "
                            + ArchiveLimits.ENTRIES_KEY + ")");
                }
                check(entry.getName());
                if (entry.isDirectory()) {
                    continue;
                }
                String type = unsafeType(entry);
                if (type != null) {
                    throw new ArchiveException("entry " + entry.getName() + " is a " + type
                            + ", which a backup archive never holds");
                }
                if (entry.getSize() > limits.maxEntryBytes()) {
                    throw new ArchiveException("entry " + entry.getName() + " is " + entry.getSize()
                            + " bytes, over the limit of " + limits.maxEntryBytes() + " (" + ArchiveLimits.ENTRY_BYTES_KEY + ")");
                }
                byte[] content = tar.readNBytes((int) entry.getSize());
                if (content.length != entry.getSize()) {
                    throw new ArchiveException("entry " + entry.getName() + " is truncated");
                }
                return new Entry(entry.getName(), content);
            }
            return null;
        } catch (BoundedGzip.TooLarge e) {
            throw new ArchiveException(e.getMessage() + " once decompressed (" + ArchiveLimits.TOTAL_BYTES_KEY + ")", e);
        } catch (IOException e) {
            throw new ArchiveException("the archive is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * What the entry is when it is not a regular file, or null. commons-compress counts links, devices and FIFOs
     * as files ({@code isFile()}), so the type flag itself is checked: only '0' and the old NUL are regular files.
     */
    private static String unsafeType(TarArchiveEntry entry) {
        if (entry.isSymbolicLink()) {
            return "symbolic link";
        }
        if (entry.isLink()) {
            return "hard link";
        }
        if (entry.isCharacterDevice()) {
            return "character device";
        }
        if (entry.isBlockDevice()) {
            return "block device";
        }
        if (entry.isFIFO()) {
            return "FIFO";
        }
        byte flag = entry.getLinkFlag();
        if (flag != TarConstants.LF_NORMAL && flag != TarConstants.LF_OLDNORM || entry.isSparse()) {
            return "tar entry of type '" + (char) flag + "'";
        }
        return null;
    }

    static void check(String name) {
        if (name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
            throw new ArchiveException("entry " + name + " has an absolute or unsafe path");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw new ArchiveException("entry " + name + " climbs out of the archive with ..");
            }
        }
        if (!name.startsWith(Layout.RESOURCES) && !name.startsWith("metadata/")
                && !name.equals("resources") && !name.equals("metadata")) {
            throw new ArchiveException("entry " + name + " is outside resources/ and metadata/");
        }
    }

    @Override
    public void close() {
        try {
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record Entry(String path, byte[] content) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    /** An archive that must not be restored. */
    public static class ArchiveException extends RuntimeException {
        public ArchiveException(String message) {
            super(message);
        }

        public ArchiveException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
