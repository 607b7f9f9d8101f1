package io.lifeboat.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Reads a backup tarball entry by entry, refusing what a restore must never trust: absolute paths, "..", entries
 * outside resources/ and metadata/, links, and entries larger than the limit.
 */
public final class ArchiveReader implements AutoCloseable {
    private final TarArchiveInputStream tar;
    private final long maxEntryBytes;

    public ArchiveReader(InputStream compressed, long maxEntryBytes) {
        try {
            this.tar = new TarArchiveInputStream(new GZIPInputStream(compressed, 64 * 1024), StandardCharsets.UTF_8.name());
        } catch (IOException e) {
            throw new ArchiveException("the archive is not gzip data", e);
        }
        this.maxEntryBytes = maxEntryBytes;
    }

    /** The next file entry with its content, or null at the end. */
    public Entry next() {
        try {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    check(entry.getName());
                    continue;
                }
                check(entry.getName());
                if (!entry.isFile()) {
                    throw new ArchiveException("entry " + entry.getName() + " is a link or device, which archives never hold");
                }
                if (entry.getSize() > maxEntryBytes) {
                    throw new ArchiveException("entry " + entry.getName() + " is " + entry.getSize()
                            + " bytes, over the limit of " + maxEntryBytes);
                }
                return new Entry(entry.getName(), tar.readNBytes((int) entry.getSize()));
            }
            return null;
        } catch (IOException e) {
            throw new ArchiveException("the archive is truncated or corrupt: " + e.getMessage(), e);
        }
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
