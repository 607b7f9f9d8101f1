package io.lifeboat.archive;

/**
 * How much a backup archive read from a bucket may hold before it is refused: one entry's size, the size of the
 * whole tar stream once decompressed, and the number of entries. Each limit is named by its configuration key in
 * the error that it causes.
 */
public record ArchiveLimits(long maxEntryBytes, long maxTotalBytes, long maxEntries) {
    public static final String ENTRY_BYTES_KEY = "lifeboat.restore.max-entry-bytes";
    public static final String TOTAL_BYTES_KEY = "lifeboat.restore.max-archive-bytes";
    public static final String ENTRIES_KEY = "lifeboat.restore.max-entries";

    /** 16 MiB per item (etcd stores at most 1.5 MiB), 8 GiB in all, two million entries. */
    public static final ArchiveLimits DEFAULTS = new ArchiveLimits(16L << 20, 8L << 30, 2_000_000);

    public ArchiveLimits {
        if (maxEntryBytes <= 0 || maxEntryBytes > Integer.MAX_VALUE - 64 || maxTotalBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("archive limits must be positive (an entry at most 2 GiB): "
                    + maxEntryBytes + ", " + maxTotalBytes + ", " + maxEntries);
        }
    }

    /** The defaults, with another limit on one entry. */
    public static ArchiveLimits withMaxEntryBytes(long maxEntryBytes) {
        return new ArchiveLimits(maxEntryBytes, DEFAULTS.maxTotalBytes(), DEFAULTS.maxEntries());
    }
}
