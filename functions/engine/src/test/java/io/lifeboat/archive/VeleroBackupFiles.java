package io.lifeboat.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * Test tool: the files of {@code backups/<name>/} exactly as a Velero v1.x server writes them (pkg/backup,
 * pkg/persistence), to be put into a bucket: a tarball whose entries are all mode 0755 with no folder entries,
 * {@code metadata/version} first, each item at its place and under its {@code <version>-preferredversion} folder;
 * {@code velero-backup.json} with the fields Velero's Backup carries; and the gzip'd logs, resource list, results and
 * volume snapshots beside them.
 */
public final class VeleroBackupFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<Item> items = new ArrayList<>();
    private String phase = "Completed";
    private String formatVersion = "1.1.0";
    private String documentName;
    private Instant started = Instant.parse("2026-11-30T02:00:00Z");

    private record Item(String resourceFolder, String version, ObjectNode object) {
    }

    private VeleroBackupFiles(String name) {
        this.name = name;
        this.documentName = name;
    }

    public static VeleroBackupFiles backup(String name) {
        return new VeleroBackupFiles(name);
    }

    /** An object as the API server returned it; {@code resourceFolder} as Velero names it: configmaps, deployments.apps. */
    public VeleroBackupFiles item(String resourceFolder, String version, ObjectNode object) {
        items.add(new Item(resourceFolder, version, object));
        return this;
    }

    public VeleroBackupFiles phase(String phase) {
        this.phase = phase;
        return this;
    }

    public VeleroBackupFiles formatVersion(String formatVersion) {
        this.formatVersion = formatVersion;
        return this;
    }

    /** The name inside velero-backup.json, when it should differ from the folder's. */
    public VeleroBackupFiles documentName(String documentName) {
        this.documentName = documentName;
        return this;
    }

    /** Object keys (under the location's prefix) and their content. */
    public Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String folder = "backups/" + name + "/";
        files.put(folder + "velero-backup.json", document());
        files.put(folder + name + ".tar.gz", tarball());
        files.put(folder + name + "-logs.gz", gzip(("time=\"" + started + "\" level=info msg=\"Backup completed\"\n")
                .getBytes(StandardCharsets.UTF_8)));
        files.put(folder + name + "-resource-list.json.gz", gzip(json(resourceList())));
        files.put(folder + name + "-results.gz", gzip("{\"errors\":{},\"warnings\":{}}".getBytes(StandardCharsets.UTF_8)));
        files.put(folder + name + "-volumesnapshots.json.gz", gzip("null".getBytes(StandardCharsets.UTF_8)));
        files.put(folder + name + "-itemoperations.json.gz", gzip("null".getBytes(StandardCharsets.UTF_8)));
        files.put(folder + name + "-volumeinfo.json.gz", gzip("[]".getBytes(StandardCharsets.UTF_8)));
        return files;
    }

    /** The velero.io/v1 Backup as Velero's server encodes it when it uploads the backup. */
    public byte[] document() {
        ObjectNode backup = JSON.createObjectNode();
        backup.put("kind", "Backup").put("apiVersion", "velero.io/v1");
        ObjectNode metadata = backup.putObject("metadata");
        metadata.put("name", documentName).put("namespace", "velero").put("uid", "0b7f3a52-2c67-4d5e-9c1e-3f1d2a9e4b11")
                .put("resourceVersion", "48213").put("generation", 7).put("creationTimestamp", started.toString());
        metadata.putObject("labels").put("velero.io/storage-location", "default");
        metadata.putObject("annotations").put("velero.io/resource-timeout", "10m0s")
                .put("velero.io/source-cluster-k8s-gitversion", "v1.31.4")
                .put("velero.io/source-cluster-k8s-major-version", "1")
                .put("velero.io/source-cluster-k8s-minor-version", "31");
        ObjectNode spec = backup.putObject("spec");
        spec.putObject("metadata");
        spec.putArray("includedNamespaces").add("*");
        spec.put("ttl", "720h0m0s");
        spec.putObject("hooks");
        spec.put("storageLocation", "default").put("defaultVolumesToFsBackup", false)
                .put("csiSnapshotTimeout", "10m0s").put("itemOperationTimeout", "4h0m0s").put("snapshotMoveData", false);
        ObjectNode status = backup.putObject("status");
        status.put("version", 1).put("formatVersion", formatVersion)
                .put("expiration", started.plusSeconds(720 * 3600).toString()).put("phase", phase)
                .put("startTimestamp", started.toString()).put("completionTimestamp", started.plusSeconds(12).toString());
        status.putObject("progress").put("totalItems", items.size()).put("itemsBackedUp", items.size());
        status.putObject("hookStatus");
        return json(backup);
    }

    /** pkg/backup: every entry a regular file of mode 0755, no folder entries; gzip around tar. */
    public byte[] tarball() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out), StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entry(tar, "metadata/version", "1.1.0\n".getBytes(StandardCharsets.UTF_8));
            for (Item item : items) {
                JsonNode meta = item.object().path("metadata");
                String namespace = meta.path("namespace").asText(null);
                String itemName = meta.path("name").asText();
                byte[] content = json(item.object());
                entry(tar, Layout.itemEntry(item.resourceFolder(), namespace, itemName), content);
                entry(tar, Layout.preferredVersionEntry(item.resourceFolder(), item.version(), namespace, itemName), content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {"<groupVersion>/<Kind>": ["ns/name" or "name", …]}, sorted. */
    private Map<String, List<String>> resourceList() {
        Map<String, TreeSet<String>> list = new TreeMap<>();
        for (Item item : items) {
            JsonNode o = item.object();
            String namespace = o.path("metadata").path("namespace").asText(null);
            list.computeIfAbsent(o.path("apiVersion").asText() + "/" + o.path("kind").asText(), k -> new TreeSet<>())
                    .add((namespace == null ? "" : namespace + "/") + o.path("metadata").path("name").asText());
        }
        Map<String, List<String>> sorted = new TreeMap<>();
        list.forEach((k, v) -> sorted.put(k, List.copyOf(v)));
        return sorted;
    }

    private static void entry(TarArchiveOutputStream tar, String path, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path);
        entry.setSize(content.length);
        entry.setMode(0755);
        entry.setModTime(1_764_468_000_000L);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    public static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
