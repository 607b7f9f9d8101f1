package io.lifeboat.backup;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.archive.Layout;
import io.lifeboat.error.ConflictException;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.input.Names;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.secret.Redactor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Imports what Velero wrote into a location: every {@code backups/<name>/} that Lifeboat does not know yet becomes a
 * read-only record (origin velero, no cluster) that can be described, listed and restored, and that Lifeboat never
 * expires. It accepts only what Velero's own backup sync would restore: a velero.io/v1 Backup named after its folder,
 * finished (Completed or PartiallyFailed), in format 1.x, with its tarball present. Everything read from the bucket
 * is treated as hostile: the document is size-limited and parsed strictly, names must be DNS-1123 labels, and the
 * tarball's SHA-256 is recorded at import, so a later change to it makes the restore refuse it. It never writes to
 * the bucket; what it skips is reported with the reason. A backup Lifeboat wrote for another project (a location
 * shared by projects) is skipped; one of this project whose record is gone is imported like Velero's.
 */
public final class VeleroBackupSync {
    /** Velero's velero-backup.json is a few kilobytes; anything much larger is not one. */
    public static final int MAX_DOCUMENT_BYTES = 256 * 1024;
    private static final Pattern FORMAT_1 = Pattern.compile("1\\.\\d{1,4}(\\.\\d{1,4})?");
    private static final Set<String> FINISHED = Set.of(Backup.Phase.Completed.name(), Backup.Phase.PartiallyFailed.name());
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final BackupRepository backups;
    private final LocationRepository locations;
    private final ObjectStoreFactory stores;
    private final Clock clock;

    public VeleroBackupSync(BackupRepository backups, LocationRepository locations, ObjectStoreFactory stores, Clock clock) {
        this.backups = backups;
        this.locations = locations;
        this.stores = stores;
        this.clock = clock;
    }

    /** What one sync did: the backups imported, how many were known already, and each one skipped with why. */
    public record Report(String location, List<String> imported, int alreadyKnown, List<Skipped> skipped) {
    }

    public record Skipped(String name, String reason) {
    }

    /** {@code POST …/locations/{name}/sync}: the location must exist and be Available. */
    public Report sync(String project, String locationName) {
        Names.requireLabel("project", project);
        Location location = locations.find(project, locationName)
                .orElseThrow(() -> new NotFoundException("location", project, locationName));
        LocationStatus status = location.status();
        if (status == null || status.phase() != LocationStatus.Phase.Available) {
            throw new ConflictException("location", "location '" + locationName + "' is "
                    + (status == null ? "not validated" : status.phase()) + ": validate it before syncing");
        }
        return sync(location);
    }

    /** Syncs a location already known to be Available (the validate-location function, after validating it). */
    public Report sync(Location location) {
        Redactor redactor = new Redactor(location.secretValues());
        String root = Layout.key(location.prefix(), "backups/");
        List<String> imported = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        int known = 0;
        try (ObjectStore store = stores.open(location)) {
            List<String> keys;
            try {
                keys = store.list(root);
            } catch (StoreException e) {
                throw new ConflictException("location", "the backups of location '" + location.name() + "' could not be listed: "
                        + e.reason() + ": " + redactor.scrub(e.getMessage()));
            }
            Set<String> stored = new java.util.HashSet<>(keys);
            for (String folder : folders(root, keys)) {
                if (!Names.isDns1123Label(folder)) {
                    skipped.add(new Skipped(printable(folder), "the folder name is not a DNS-1123 label"));
                    continue;
                }
                Optional<Backup> existing = backups.find(location.project(), folder);
                if (existing.isPresent()) {
                    if (existing.get().location().equals(location.name())) {
                        known++;
                    } else {
                        skipped.add(new Skipped(folder, "project " + location.project() + " already has a backup of that "
                                + "name, in location " + existing.get().location()));
                    }
                    continue;
                }
                if (stored.contains(Layout.backupObject(location.prefix(), folder, Layout.BackupFile.ENCRYPTION_HEADER))) {
                    skipped.add(new Skipped(folder, "encrypted by Lifeboat (" + Layout.BackupFile.ENCRYPTION_HEADER
                            .fileName(folder) + "): neither Velero nor a sync can read it"));
                    continue;
                }
                try {
                    Backup backup = read(store, location, folder);
                    backups.create(backup);
                    imported.add(folder);
                } catch (Refused e) {
                    skipped.add(new Skipped(folder, e.getMessage()));
                } catch (ConflictException e) {
                    skipped.add(new Skipped(folder, "a backup of that name was created meanwhile"));
                } catch (StoreException e) {
                    skipped.add(new Skipped(folder, "it could not be read: " + e.reason() + ": " + redactor.scrub(e.getMessage())));
                }
            }
        }
        return new Report(location.name(), imported, known, skipped);
    }

    /** The folder names under backups/ that hold a velero-backup.json; other keys are not backups. */
    private static Set<String> folders(String root, List<String> keys) {
        Set<String> folders = new TreeSet<>();
        String document = "/" + Layout.BackupFile.BACKUP_JSON.fileName("");
        for (String key : keys) {
            if (key.startsWith(root) && key.endsWith(document)) {
                String folder = key.substring(root.length(), key.length() - document.length());
                if (!folder.contains("/")) {
                    folders.add(folder);
                } else {
                    folders.add(folder.substring(0, folder.indexOf('/')) + "/..."); // deeper: refused by the name check
                }
            }
        }
        return folders;
    }

    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private Backup read(ObjectStore store, Location location, String name) {
        JsonNode document = document(store, Layout.backupObject(location.prefix(), name, Layout.BackupFile.BACKUP_JSON));
        require(document.isObject(), "velero-backup.json is not a JSON object");
        require(document.path("apiVersion").asText().equals("velero.io/v1") && document.path("kind").asText().equals("Backup"),
                "velero-backup.json is not a velero.io/v1 Backup");
        require(name.equals(document.path("metadata").path("name").asText(null)),
                "metadata.name is not the folder's name (" + name + ")");
        // a location shared by projects holds each one's Lifeboat backups: they belong to the project that made them
        String writtenFor = document.path("metadata").path("labels").path(VeleroBackupDocument.PROJECT_LABEL).asText(null);
        require(writtenFor == null || writtenFor.equals(location.project()), "written by Lifeboat for another project");
        JsonNode status = document.path("status");
        String phase = status.path("phase").asText("");
        require(FINISHED.contains(phase), "status.phase is '" + printable(phase) + "': only a Completed or PartiallyFailed "
                + "backup can be restored");
        String format = status.path("formatVersion").asText("");
        require(FORMAT_1.matcher(format).matches(), "status.formatVersion is '" + printable(format) + "', not 1.x");
        JsonNode spec = document.path("spec");
        List<String> namespaces = new ArrayList<>();
        JsonNode included = spec.path("includedNamespaces");
        require(included.isMissingNode() || included.isNull() || included.isArray(), "spec.includedNamespaces is not a list");
        for (JsonNode namespace : included) {
            String value = namespace.asText("");
            if (!value.equals("*")) {
                require(Names.isDns1123Label(value), "spec.includedNamespaces holds '" + printable(value)
                        + "', which is not a namespace name");
                namespaces.add(value);
            }
        }
        JsonNode includeClusterResources = spec.path("includeClusterResources");

        String tarball = Layout.backupObject(location.prefix(), name, Layout.BackupFile.TARBALL);
        Tarball archive = tarball(store, tarball);
        Instant started = instant(status.path("startTimestamp"));
        Instant created = instant(document.path("metadata").path("creationTimestamp"));
        JsonNode progress = status.path("progress");
        return new Backup(location.project(), name, null, location.name(), namespaces,
                includeClusterResources.isBoolean() ? includeClusterResources.booleanValue() : null, false,
                created != null ? created : started != null ? started : clock.instant(), instant(status.path("expiration")),
                Backup.Phase.valueOf(phase), new Backup.Progress(count(progress.path("itemsBackedUp")),
                count(progress.path("totalItems"))), started, instant(status.path("completionTimestamp")),
                archive.size(), archive.sha256(), (int) Math.min(Integer.MAX_VALUE, count(status.path("warnings"))),
                (int) Math.min(Integer.MAX_VALUE, count(status.path("errors"))), List.of(), List.of(), Backup.Origin.velero);
    }

    private static JsonNode document(ObjectStore store, String key) {
        byte[] bytes;
        try (InputStream in = openOrRefuse(store, key, "velero-backup.json")) {
            bytes = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        require(bytes.length <= MAX_DOCUMENT_BYTES, "velero-backup.json is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new Refused("velero-backup.json is not valid JSON (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Tarball(long size, String sha256) {
    }

    /** Streams the tarball once to record its size and SHA-256; it must at least be gzip. */
    private static Tarball tarball(ObjectStore store, String key) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream raw = openOrRefuse(store, key, "the tarball"); DigestInputStream in = new DigestInputStream(raw, sha256)) {
            byte[] head = in.readNBytes(2);
            require(head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b, "the tarball is not gzip");
            long size = head.length;
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                size += n;
            }
            return new Tarball(size, HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            throw new StoreException("ReadFailed", "reading the tarball failed: " + e.getMessage(), e);
        }
    }

    private static InputStream openOrRefuse(ObjectStore store, String key, String what) {
        try {
            return store.download(key);
        } catch (StoreException e) {
            if (e.reason().equals("NoSuchKey")) {
                throw new Refused(what + " is missing");
            }
            throw e;
        }
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new Refused(reason);
        }
    }

    private static Instant instant(JsonNode node) {
        if (!node.isTextual() || node.asText().length() > 64) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static long count(JsonNode node) {
        return node.canConvertToLong() && node.asLong() > 0 ? node.asLong() : 0;
    }

    /** A name or value from the bucket, safe to show: printable ASCII, at most 80 characters. */
    private static String printable(String value) {
        String cleaned = value.replaceAll("[^\\x20-\\x7e]", "?");
        return cleaned.length() > 80 ? cleaned.substring(0, 80) + "..." : cleaned;
    }
}
