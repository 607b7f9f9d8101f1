package io.lifeboat.verification;

import io.lifeboat.archive.ArchiveLimits;
import io.lifeboat.archive.ArchiveReader;
import io.lifeboat.archive.ArchiveScan;
import io.lifeboat.archive.BoundedGzip;
import io.lifeboat.archive.Layout;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupObjects;
import io.lifeboat.encryption.BackupKeys;
import io.lifeboat.encryption.KeyException;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.StoreException;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Verifies a backup's files in its location without restoring anything: the tarball is streamed once through the
 * restore's safe reader ({@link ArchiveScan}: its limits, no links or unsafe paths, a gzip bomb refused), and
 * <ul>
 *   <li>its size and SHA-256 must be the ones the backup recorded;</li>
 *   <li>its format version must be Velero's 1.x;</li>
 *   <li>every item must parse as the Kubernetes object its place says it is ({@link ItemCheck});</li>
 *   <li>the items of each type must be as many as the resource list names (and, for a backup Lifeboat wrote, as the
 *   record's per-type counts and the manifest's);</li>
 *   <li>for a backup Lifeboat wrote, each item's SHA-256 and size must be the ones Lifeboat's manifest lists for it,
 *   in the manifest's order (it lists them in the order they were written, so both files are read side by side, one
 *   item of each at a time), with nothing missing or added; each preferred-version copy must be its item's bytes; and
 *   the manifest's account of the archive (size, SHA-256, entries, items) must be the archive's.</li>
 * </ul>
 * A backup Velero wrote has no manifest: it is verified by what it has, its structure, its JSON, its resource list
 * (when it has one) and the SHA-256 recorded when it was imported. Everything read from the bucket is hostile input:
 * nothing it says about sizes, paths or counts is trusted before it is checked, and memory holds one item and the
 * counts per type, never the archive nor the manifest.
 */
public final class BackupVerifier {
    private final ArchiveLimits limits;
    private final Clock clock;
    private final BackupKeys keys;

    public BackupVerifier(ArchiveLimits limits, Clock clock) {
        this(limits, clock, BackupKeys.NONE);
    }

    /** With the key service that opens encrypted backups' data keys: their files are verified as they decrypt. */
    public BackupVerifier(ArchiveLimits limits, Clock clock, BackupKeys keys) {
        this.limits = limits;
        this.clock = clock;
        this.keys = keys;
    }

    /** Verifies the backup's files in {@code store} (its location's, whose prefix is {@code prefix}). */
    public Backup.Verification verify(Backup backup, ObjectStore store, String prefix, java.time.Instant requestedAt) {
        Run run = new Run(backup, store, prefix);
        run.verify();
        Problems problems = run.problems;
        return new Backup.Verification(requestedAt, clock.instant(), problems.count() == 0, run.items,
                problems.first(Backup.Verification.PROBLEMS_KEPT), problems.count());
    }

    /** One verification's state: the problems found, the items read, the counts per type. */
    private final class Run {
        private final Backup backup;
        private final ObjectStore store;
        private final String prefix;
        private final boolean lifeboat;
        private final Problems problems = new Problems();
        private final Map<String, Long> perKey = new TreeMap<>();
        private final Map<String, Long> perFolder = new TreeMap<>();
        private long items;
        private long entries;
        private boolean archiveWhole;
        private ArchiveScan.Summary archive;
        private String version;
        /** Whether the archive's items so far were the manifest's, one for one. */
        private boolean manifestInStep;

        /** The backup's files as written: decrypted (each chunk checked) when the backup is encrypted. */
        private final BackupObjects objects;

        Run(Backup backup, ObjectStore store, String prefix) {
            this.objects = new BackupObjects(store, prefix, backup, keys);
            this.backup = backup;
            this.store = store;
            this.prefix = prefix;
            this.lifeboat = !backup.importedFromVelero();
        }

        private String key(BackupFile file) {
            return Layout.backupObject(prefix, backup.name(), file);
        }

        void verify() {
            ManifestReader manifest = lifeboat ? openManifest() : null;
            try {
                readArchive(manifest);
                if (manifest != null) {
                    finishManifest(manifest);
                }
            } finally {
                if (manifest != null) {
                    try {
                        manifest.close();
                    } catch (IOException ignored) {
                        // a manifest that cannot even be closed has said what it had to
                    }
                }
            }
            if (!archiveWhole) {
                problems.add("the per-type counts were not compared: the archive could not be read whole");
                return;
            }
            checkArchiveSummary();
            compareWithResourceList();
            if (lifeboat) {
                compareWithRecord();
            }
        }

        /** One of the backup's files, decrypted as it is read when the backup is encrypted. */
        private InputStream open(BackupFile file) throws IOException {
            return objects.open(file);
        }

        private ManifestReader openManifest() {
            try {
                InputStream in = BoundedGzip.open(open(BackupFile.LIFEBOAT_MANIFEST), manifestBytes(),
                        BackupFile.LIFEBOAT_MANIFEST.fileName(backup.name()));
                return new ManifestReader(in, backup.name());
            } catch (StoreException e) {
                problems.add("Lifeboat's manifest could not be read (" + e.reason() + "): its items' digests were not "
                        + "compared");
            } catch (IOException | MalformedFile | KeyException e) {
                problems.add("Lifeboat's manifest is unreadable (" + e.getMessage() + "): its items' digests were not "
                        + "compared");
            }
            return null;
        }

        /** A manifest lists an item in at most a few hundred bytes; past what the archive's limits allow, it is refused. */
        private long manifestBytes() {
            return Math.max(BoundedGzip.DEFAULT_FILE_BYTES, Math.multiplyExact(limits.maxEntries(), 1024L));
        }

        private void readArchive(ManifestReader manifest) {
            Item last = null;
            manifestInStep = manifest != null;
            InputStream tarball;
            try {
                tarball = open(BackupFile.TARBALL);
            } catch (IOException | KeyException e) {
                problems.add("the archive could not be opened: " + e.getMessage());
                return;
            } catch (StoreException e) {
                problems.add("the archive could not be read from the location: " + e.reason() + ": " + e.getMessage());
                return;
            }
            try (ArchiveScan scan = new ArchiveScan(tarball, limits)) {
                for (ArchiveReader.Entry entry = scan.next(); entry != null; entry = scan.next()) {
                    entries++;
                    if (entry.path().equals(Layout.VERSION_ENTRY)) {
                        version = entry.text().trim();
                        continue;
                    }
                    Layout.ItemEntry place = Layout.parseItemEntry(entry.path());
                    if (place == null) {
                        if (lifeboat) {
                            problems.add(Problems.shown(entry.path()) + " is not an item of Velero's layout");
                        }
                        continue;
                    }
                    String sha256 = sha256(entry.content());
                    if (place.preferredVersion() != null) {
                        checkPreferredCopy(entry, place, sha256, last);
                        continue;
                    }
                    items++;
                    perFolder.merge(place.resourceFolder(), 1L, Long::sum);
                    ItemCheck.Result checked = ItemCheck.of(entry.path(), place, entry.content());
                    if (checked.problem() != null) {
                        problems.add(checked.problem());
                    } else {
                        perKey.merge(checked.resourceListKey(), 1L, Long::sum);
                    }
                    last = new Item(place, sha256);
                    if (manifestInStep) {
                        manifestInStep = inStep(manifest, entry, sha256);
                    }
                }
                archive = scan.finish();
                archiveWhole = true;
            } catch (ArchiveReader.ArchiveException e) {
                problems.add("the archive was refused after " + entries + " entries: " + e.getMessage());
            } catch (StoreException e) {
                problems.add("the archive could not be read from the location: " + e.reason() + ": " + e.getMessage());
            }
            if (manifest != null && !manifestInStep) {
                problems.add("the items after that were not compared with the manifest");
            }
        }

        /** Compares an item with the manifest's next one; false when the two files no longer go in step. */
        private boolean inStep(ManifestReader manifest, ArchiveReader.Entry entry, String sha256) {
            ManifestReader.Item listed;
            try {
                listed = manifest.next();
            } catch (IOException | MalformedFile e) {
                problems.add("Lifeboat's manifest is unreadable after " + (items - 1) + " items: " + e.getMessage());
                return false;
            }
            if (listed == null) {
                problems.add(Problems.shown(entry.path()) + " is in the archive but not in the manifest");
                return false;
            }
            if (!listed.path().equals(entry.path())) {
                problems.add("item " + items + " of the archive is " + Problems.shown(entry.path())
                        + " where the manifest lists " + Problems.shown(listed.path()));
                return false;
            }
            if (listed.size() != entry.content().length || !listed.sha256().equals(sha256)) {
                problems.add(Problems.shown(entry.path()) + " differs from the manifest: " + entry.content().length
                        + " bytes with SHA-256 " + sha256 + ", where the manifest lists " + listed.size()
                        + " bytes with SHA-256 " + Problems.shown(listed.sha256()));
            }
            return true;
        }

        private void checkPreferredCopy(ArchiveReader.Entry entry, Layout.ItemEntry place, String sha256, Item last) {
            if (!lifeboat) {
                ItemCheck.Result checked = ItemCheck.of(entry.path(), place, entry.content());
                if (checked.problem() != null) {
                    problems.add(checked.problem());
                }
                return;
            }
            // Lifeboat writes each item's preferred-version copy right after it, with the same bytes
            boolean itsItem = last != null && last.place.resourceFolder().equals(place.resourceFolder())
                    && Objects.equals(last.place.namespace(), place.namespace()) && last.place.name().equals(place.name());
            if (!itsItem) {
                problems.add(Problems.shown(entry.path()) + " is a preferred-version copy that does not follow its item");
            } else if (!last.sha256.equals(sha256)) {
                problems.add(Problems.shown(entry.path()) + " differs from its item");
            }
        }

        private void finishManifest(ManifestReader manifest) {
            ManifestReader.Trailer trailer;
            try {
                long extra = 0;
                while (manifest.next() != null) {
                    extra++;
                }
                if (extra > 0 && archiveWhole && manifestInStep) {
                    problems.add("the manifest lists " + extra + " items the archive does not hold");
                }
                trailer = manifest.finish();
            } catch (IOException | MalformedFile e) {
                problems.add("Lifeboat's manifest is unreadable at its end: " + e.getMessage());
                return;
            }
            if (!archiveWhole) {
                return;
            }
            if (!Objects.equals(trailer.archiveSha256(), archive.sha256())
                    || !Objects.equals(trailer.archiveSizeBytes(), archive.sizeBytes())
                    || !Objects.equals(trailer.archiveEntries(), entries)) {
                problems.add("the manifest says the archive is " + trailer.archiveSizeBytes() + " bytes of "
                        + trailer.archiveEntries() + " entries with SHA-256 " + Problems.shown(trailer.archiveSha256())
                        + ", but it is " + archive.sizeBytes() + " bytes of " + entries + " entries with SHA-256 "
                        + archive.sha256());
            }
            if (!Objects.equals(trailer.itemCount(), items)) {
                problems.add("the manifest counts " + trailer.itemCount() + " items, the archive holds " + items);
            }
            if (trailer.itemsPerType() != null) {
                compareCounts("the manifest", trailer.itemsPerType(), perKey);
            }
        }

        private void checkArchiveSummary() {
            if (version == null || !version.startsWith("1.")) {
                problems.add("the archive's format version is " + (version == null ? "missing" : Problems.shown(version))
                        + ", not Velero's 1.x");
            }
            // an encrypted backup's record holds the Velero tarball's figures apart from the stored ciphertext's
            String recordedSha256 = objects.tarballSha256();
            long recordedBytes = backup.encrypted() ? backup.encryption().plaintextSizeBytes() : backup.sizeBytes();
            if (recordedSha256 == null) {
                problems.add("the backup recorded no SHA-256 of its archive, so its bytes cannot be proven");
            } else if (!recordedSha256.equals(archive.sha256())) {
                problems.add("the archive's SHA-256 is " + archive.sha256() + ", but the backup recorded "
                        + recordedSha256 + ": it was changed or damaged after the backup");
            }
            if (recordedBytes != archive.sizeBytes()) {
                problems.add("the archive is " + archive.sizeBytes() + " bytes, but the backup recorded "
                        + recordedBytes);
            }
        }

        private void compareWithResourceList() {
            Map<String, Long> listed;
            try (InputStream in = BoundedGzip.open(open(BackupFile.RESOURCE_LIST), manifestBytes(),
                    BackupFile.RESOURCE_LIST.fileName(backup.name()))) {
                listed = ResourceListCounts.read(in);
            } catch (StoreException e) {
                if (!lifeboat && e.reason().equals("NoSuchKey")) {
                    return; // Velero's own files are checked as far as they exist
                }
                problems.add("the resource list could not be read (" + e.reason() + "): the per-type counts were not "
                        + "compared with it");
                return;
            } catch (IOException | MalformedFile | KeyException e) {
                problems.add("the resource list is unreadable: " + e.getMessage());
                return;
            }
            compareCounts("the resource list", listed, perKey);
        }

        /**
         * The record's count of each type Lifeboat read (a group version discovery could not read has no kind); a
         * record written before per-type counts were kept has none to compare.
         */
        private void compareWithRecord() {
            if (backup.typeCounts().isEmpty()) {
                return;
            }
            Map<String, Long> recorded = new TreeMap<>();
            for (Backup.TypeCount type : backup.typeCounts()) {
                if (type.kind() != null && type.items() > 0) {
                    recorded.put(type.resource(), type.items());
                }
            }
            compareCounts("the backup's record", recorded, perFolder);
        }

        private void compareCounts(String source, Map<String, Long> expected, Map<String, Long> actual) {
            TreeSet<String> types = new TreeSet<>(expected.keySet());
            types.addAll(actual.keySet());
            for (String type : types) {
                long want = expected.getOrDefault(type, 0L);
                long have = actual.getOrDefault(type, 0L);
                if (want != have) {
                    problems.add(Problems.shown(type) + ": the archive holds " + have + " items, " + source + " counts "
                            + want);
                }
            }
        }
    }

    /** The last item read: where it is, and its SHA-256. */
    private record Item(Layout.ItemEntry place, String sha256) {
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
