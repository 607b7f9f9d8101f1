package io.lifeboat.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.ArchiveLimits;
import io.lifeboat.archive.ArchiveReader;
import io.lifeboat.archive.ArchiveScan;
import io.lifeboat.archive.Layout;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupObjects;
import io.lifeboat.backup.BackupRepository;
import io.lifeboat.encryption.BackupKeys;
import io.lifeboat.encryption.KeyException;
import io.lifeboat.encryption.TamperedObjectException;
import io.lifeboat.error.DamagedFileException;
import io.lifeboat.error.ConflictException;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.error.UnreadableArchiveException;
import io.lifeboat.input.Names;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.patch.JsonPatch;
import io.lifeboat.restore.ObjectComparison;
import io.lifeboat.secret.Redactor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Compares two backups of a project ({@code GET …/backups/{a}/diff/{b}}) by streaming their archives, in bounded
 * memory:
 * <ol>
 *   <li>the first archive is read once and each item kept as the 16-byte digest of its comparable form
 *   ({@link ObjectComparison#digest}), by type and name: about 150 bytes an object, never the object;</li>
 *   <li>the second is read once and each item compared with that digest: added, unchanged, or changed; a changed
 *   item's comparable form is kept, up to {@link Limits#patches} of them and {@link Limits#keptBytes} in all;</li>
 *   <li>what is left of the first archive's digests was removed;</li>
 *   <li>when some changed items were kept, the first archive is read again, and for each of them alone the JSON Patch
 *   from its old form to its new one is made.</li>
 * </ol>
 * Each archive goes through the restore's safe reader and limits, and its SHA-256 must be the one its backup recorded
 * (each time it is read): a refused or changed archive is a 422, as is an item that is not a JSON object. An encrypted
 * backup's archive is read through {@link BackupObjects}, decrypted as it streams with each chunk checked; then both
 * its plaintext and its stored bytes must be the record's.
 */
public final class BackupDiffs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BackupRepository backups;
    private final LocationRepository locations;
    private final ObjectStoreFactory stores;
    private final ArchiveLimits archiveLimits;
    private final Limits limits;
    private final BackupKeys keys;

    /** How many changed objects get a patch, and how many bytes of their new forms may be held to make them. */
    public record Limits(int patches, long keptBytes) {
        /** A thousand patches, from at most 32 MiB of objects. */
        public static final Limits DEFAULTS = new Limits(1000, 32L << 20);
    }

    public BackupDiffs(BackupRepository backups, LocationRepository locations, ObjectStoreFactory stores,
                       ArchiveLimits archiveLimits, Limits limits, BackupKeys keys) {
        this.backups = backups;
        this.locations = locations;
        this.stores = stores;
        this.archiveLimits = archiveLimits;
        this.limits = limits;
        this.keys = keys;
    }

    /**
     * What changed from backup {@code from} to backup {@code to}: 404 for an unknown one, 409 (naming {@code name} or
     * {@code other}) for one without an archive (not Completed nor PartiallyFailed).
     */
    public BackupDiff diff(String project, String from, String to) {
        Names.requireLabel("project", project);
        Backup first = withArchive(project, "name", from);
        Backup second = withArchive(project, "other", to);

        Map<String, byte[]> digests = new HashMap<>();
        read(first, item -> digests.put(item.key(), ObjectComparison.digest(item.object())));

        Map<String, Changes> types = new TreeMap<>();
        Map<String, ObjectNode> kept = new HashMap<>();
        long[] keptBytes = {0};
        long[] omitted = {0};
        read(second, item -> {
            Changes type = types.computeIfAbsent(item.folder(), f -> new Changes());
            byte[] before = digests.remove(item.key());
            if (before == null) {
                type.added.add(item.name());
            } else if (Arrays.equals(before, ObjectComparison.digest(item.object()))) {
                type.unchanged++;
            } else {
                type.changed.put(item.name(), null);
                if (kept.size() < limits.patches() && keptBytes[0] + item.size() <= limits.keptBytes()) {
                    kept.put(item.key(), ObjectComparison.comparable(item.object()));
                    keptBytes[0] += item.size();
                } else {
                    omitted[0]++;
                }
            }
        });
        for (String key : digests.keySet()) {
            Item.Key parsed = Item.Key.parse(key);
            types.computeIfAbsent(parsed.folder(), f -> new Changes()).removed.add(parsed.name());
        }
        digests.clear();
        if (!kept.isEmpty()) {
            read(first, item -> {
                ObjectNode after = kept.remove(item.key());
                if (after != null) {
                    types.get(item.folder()).changed.put(item.name(),
                            JsonPatch.diff(ObjectComparison.comparable(item.object()), after));
                }
            });
        }
        return result(from, to, types, omitted[0]);
    }

    private Backup withArchive(String project, String field, String name) {
        Names.requireLabel(field, name);
        Backup backup = backups.find(project, name).orElseThrow(() -> new NotFoundException("backup", project, name));
        if (!backup.hasArchive()) {
            throw new ConflictException(field, "backup '" + name + "' is " + backup.phase()
                    + ": only a Completed or PartiallyFailed backup has an archive to compare");
        }
        return backup;
    }

    private static BackupDiff result(String from, String to, Map<String, Changes> types, long omitted) {
        List<BackupDiff.TypeChanges> changes = new ArrayList<>();
        long added = 0;
        long removed = 0;
        long changed = 0;
        long unchanged = 0;
        for (Map.Entry<String, Changes> type : types.entrySet()) {
            Changes c = type.getValue();
            added += c.added.size();
            removed += c.removed.size();
            changed += c.changed.size();
            unchanged += c.unchanged;
            if (c.added.isEmpty() && c.removed.isEmpty() && c.changed.isEmpty()) {
                continue;
            }
            c.added.sort(null);
            c.removed.sort(null);
            List<BackupDiff.Changed> items = new ArrayList<>();
            c.changed.forEach((name, patch) -> items.add(new BackupDiff.Changed(name, patch)));
            changes.add(new BackupDiff.TypeChanges(type.getKey(), List.copyOf(c.added), List.copyOf(c.removed), items,
                    c.unchanged));
        }
        return new BackupDiff(from, to, new BackupDiff.Summary(added, removed, changed, unchanged), changes, omitted);
    }

    /** One type's changes as they are found. */
    private static final class Changes {
        final List<String> added = new ArrayList<>();
        final List<String> removed = new ArrayList<>();
        final Map<String, JsonNode> changed = new TreeMap<>();
        long unchanged;
    }

    /** An item of an archive: its type, its name ({@code namespace/name} or {@code name}), the object, its size. */
    private record Item(String folder, String name, ObjectNode object, int size) {
        String key() {
            return new Key(folder, name).toString();
        }

        /** The key of an item in the maps: its folder and name, which no folder name can blur (folders hold no '|'). */
        record Key(String folder, String name) {
            static Key parse(String key) {
                int bar = key.indexOf('|');
                return new Key(key.substring(0, bar), key.substring(bar + 1));
            }

            @Override
            public String toString() {
                return folder + "|" + name;
            }
        }
    }

    /**
     * Streams the backup's archive, handing each item (at its place, not its preferred-version copy) to {@code each};
     * then checks the archive's SHA-256 against the backup's.
     */
    private void read(Backup backup, Consumer<Item> each) {
        Location location = locations.find(backup.project(), backup.location())
                .orElseThrow(() -> new NotFoundException("location", backup.project(), backup.location()));
        Redactor redactor = new Redactor(location.secretValues());
        try (ObjectStore store = stores.open(location);
             BackupObjects objects = new BackupObjects(store, location.prefix(), backup, keys);
             BackupObjects.Read in = objects.open(Layout.BackupFile.TARBALL);
             ArchiveScan scan = new ArchiveScan(in, archiveLimits)) {
            for (ArchiveReader.Entry entry = scan.next(); entry != null; entry = scan.next()) {
                Layout.ItemEntry place = Layout.parseItemEntry(entry.path());
                if (place == null || place.preferredVersion() != null) {
                    continue;
                }
                if (place.resourceFolder().indexOf('|') >= 0) {
                    throw new UnreadableArchiveException("the archive of backup " + backup.name() + " holds an item "
                            + "of a type whose name is not a type's: " + shown(entry.path()));
                }
                JsonNode object;
                try {
                    object = JSON.readTree(entry.content());
                } catch (IOException e) {
                    object = null;
                }
                if (!(object instanceof ObjectNode node)) {
                    throw new UnreadableArchiveException("the archive of backup " + backup.name() + " holds "
                            + shown(entry.path()) + ", which is not a JSON object");
                }
                String name = place.clusterScoped() ? place.name() : place.namespace() + "/" + place.name();
                each.accept(new Item(place.resourceFolder(), name, node, entry.content().length));
            }
            ArchiveScan.Summary summary = scan.finish();
            String recorded = objects.tarballSha256();
            if (recorded != null && !recorded.equals(summary.sha256())) {
                throw new UnreadableArchiveException("the archive of backup " + backup.name() + " has SHA-256 "
                        + summary.sha256() + ", but the backup recorded " + recorded
                        + ": it was changed or damaged after the backup");
            }
            String changed = objects.storedMismatch(in);
            if (changed != null) {
                throw new UnreadableArchiveException("backup " + backup.name() + ": " + changed);
            }
        } catch (TamperedObjectException e) {
            throw new UnreadableArchiveException("the archive of backup " + backup.name() + " was refused: "
                    + e.getMessage());
        } catch (KeyException e) {
            throw new DamagedFileException("the data key of backup '" + backup.name()
                    + "' could not be unwrapped with KMS key " + backup.encryption().kmsKeyId() + ": " + e.reason());
        } catch (ArchiveReader.ArchiveException e) {
            throw new UnreadableArchiveException("the archive of backup " + backup.name() + " was refused: "
                    + e.getMessage());
        } catch (StoreException e) {
            throw new UnreadableArchiveException("the archive of backup " + backup.name() + " could not be read: "
                    + e.reason() + ": " + redactor.scrub(String.valueOf(e.getMessage())));
        } catch (IOException e) {
            throw new UnreadableArchiveException("the archive of backup " + backup.name() + " could not be read: "
                    + redactor.scrub(String.valueOf(e.getMessage())));
        }
    }

    private static String shown(String path) {
        String printable = path.replaceAll("[^\\x20-\\x7e]", "?");
        return "'" + (printable.length() > 160 ? printable.substring(0, 160) + "…" : printable) + "'";
    }
}
