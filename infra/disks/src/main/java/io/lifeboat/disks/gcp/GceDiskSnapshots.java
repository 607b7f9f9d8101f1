package io.lifeboat.disks.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.disk.Cloud;
import io.lifeboat.disk.Disk;
import io.lifeboat.disk.DiskException;
import io.lifeboat.disk.DiskOf;
import io.lifeboat.disk.DiskSnapshots;
import io.lifeboat.disk.SnapshotState;
import io.lifeboat.disk.TargetNode;
import io.lifeboat.disks.http.BearerToken;
import io.lifeboat.disks.http.JsonHttp;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Persistent-disk snapshots through Compute Engine's REST API (compute/v1) with the location's service account: the
 * disk is read (its type), {@code disks.createSnapshot} starts a snapshot with Lifeboat's tags as labels (values
 * lower-cased to the label alphabet), {@code snapshots.get} is looked at until READY, {@code disks.insert} makes a disk
 * from it in the zone asked, in the target cluster's project (its node's, when that is the service account's or the
 * original disk's; a node in any other is refused; the original disk's when no node says),
 * {@code snapshots.delete} removes it; the snapshots of a backup are listed by label filter.
 * A snapshot's ID is its path, {@code projects/P/global/snapshots/NAME}; a disk without a project (an in-tree
 * gcePersistentDisk) is the service account's project's.
 */
public final class GceDiskSnapshots implements DiskSnapshots {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DISK = Pattern.compile("(?:projects/([a-z][-a-z0-9.:]{0,62})/)?zones/([a-z0-9-]+)/disks/([a-z]([-a-z0-9]{0,61}[a-z0-9])?)");
    private static final Pattern SNAPSHOT = Pattern.compile("projects/([a-z][-a-z0-9.:]{0,62})/global/snapshots/([a-z]([-a-z0-9]{0,61}[a-z0-9])?)");
    private static final Set<String> THROTTLED = Set.of("rateLimitExceeded", "userRateLimitExceeded",
            "quotaExceeded");

    private final JsonHttp http;
    private final URI compute;
    private final BearerToken token;
    private final String project;

    /** {@code project}: the service account's, for disks without one and for the list of snapshots. */
    public GceDiskSnapshots(JsonHttp http, URI compute, BearerToken token, String project) {
        this.http = http;
        this.compute = compute;
        this.token = token;
        this.project = project;
    }

    @Override
    public Cloud cloud() {
        return Cloud.gcp;
    }

    @Override
    public Started createSnapshot(Disk disk, String name, Map<String, String> tags) {
        Matcher m = disk(disk.id());
        String diskProject = m.group(1) != null ? m.group(1) : project;
        String path = "projects/" + diskProject + "/zones/" + m.group(2) + "/disks/" + m.group(3);
        JsonNode found = ok("read disk", http.send("GET", uri(path, null), token.get(), null));
        ObjectNode body = JSON.createObjectNode().put("name", name)
                .put("description", "Lifeboat snapshot of " + path);
        labels(body, tags);
        ok("create snapshot", http.send("POST", uri(path + "/createSnapshot", null), token.get(), body));
        String type = found.path("type").asText("");
        return new Started("projects/" + diskProject + "/global/snapshots/" + name,
                type.isEmpty() ? null : type.substring(type.lastIndexOf('/') + 1), null);
    }

    @Override
    public SnapshotState snapshot(String snapshotId) {
        checkSnapshot(snapshotId);
        JsonHttp.Response answer = http.send("GET", uri(snapshotId, null), token.get(), null);
        if (answer.status() == 404) {
            return SnapshotState.missing(snapshotId);
        }
        JsonNode snapshot = ok("read snapshot", answer);
        String status = snapshot.path("status").asText("");
        SnapshotState.Status state = switch (status) {
            case "READY" -> SnapshotState.Status.COMPLETED;
            case "FAILED" -> SnapshotState.Status.FAILED;
            default -> SnapshotState.Status.PENDING; // CREATING, UPLOADING, DELETING
        };
        Map<String, String> labels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = snapshot.path("labels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            labels.put(label.getKey(), label.getValue().asText());
        }
        return new SnapshotState(snapshotId, state, "status " + status, labels);
    }

    @Override
    public Disk createDisk(String snapshotId, Disk original, String volumeType, Long volumeIOPS, String zone,
                           String name, Map<String, String> tags, TargetNode node) {
        Matcher snapshot = checkSnapshot(snapshotId);
        Matcher m = disk(original.id());
        String originalProject = m.group(1) != null ? m.group(1) : snapshot.group(1);
        boolean onNode = node != null && node.cloud() == Cloud.gcp;
        if (onNode && !node.account().equals(project) && !node.account().equals(originalProject)) {
            throw new DiskException(OTHER_ACCOUNT, false, "the target cluster's " + node.describe() + " runs outside "
                    + "the location's project (" + project + ") and the snapshotted disk's (" + originalProject
                    + "): Lifeboat makes disks only there, so that a cluster cannot send copies of a backup's disks to "
                    + "a project it names");
        }
        // the target cluster's project, where its node runs (from the other one's snapshot, the service account needs
        // compute.disks.create there); else the original disk's
        String diskProject = onNode ? node.account() : originalProject;
        String target = zone != null ? zone : m.group(2);
        if (!target.matches("[a-z0-9-]+")) {
            throw new DiskException("InvalidZone", false, "'" + target + "' is not a zone");
        }
        ObjectNode body = JSON.createObjectNode().put("name", name).put("sourceSnapshot", snapshotId);
        if (volumeType != null && volumeType.matches("[a-z0-9-]+")) {
            body.put("type", "projects/" + diskProject + "/zones/" + target + "/diskTypes/" + volumeType);
        }
        labels(body, tags);
        ok("create disk", http.send("POST", uri("projects/" + diskProject + "/zones/" + target + "/disks", null),
                token.get(), body));
        // an in-tree volume names the disk alone, in the account's project; a CSI handle names its project
        String id = m.group(1) != null ? "projects/" + diskProject + "/zones/" + target + "/disks/" + name
                : "zones/" + target + "/disks/" + name;
        return new Disk(Cloud.gcp, id, target, DiskOf.regionOf(Cloud.gcp, target), original.source());
    }

    @Override
    public boolean deleteSnapshot(String snapshotId) {
        checkSnapshot(snapshotId);
        JsonHttp.Response answer = http.send("DELETE", uri(snapshotId, null), token.get(), null);
        if (answer.status() == 404) {
            return false;
        }
        ok("delete snapshot", answer);
        return true;
    }

    @Override
    public List<String> snapshotsTagged(Map<String, String> tags) {
        Map<String, String> labels = new LinkedHashMap<>();
        tags.forEach((key, value) -> labels.put(key, labelValue(value)));
        String filter = labels.entrySet().stream().map(e -> "(labels." + e.getKey() + " = \"" + e.getValue() + "\")")
                .collect(Collectors.joining(" AND "));
        List<String> ids = new ArrayList<>();
        String pageToken = null;
        for (int pages = 0; pages < 1000; pages++) {
            String query = "filter=" + encode(filter) + (pageToken == null ? "" : "&pageToken=" + encode(pageToken));
            JsonNode page = ok("list snapshots", http.send("GET", uri("projects/" + project + "/global/snapshots", query),
                    token.get(), null));
            for (JsonNode snapshot : page.path("items")) {
                boolean all = labels.entrySet().stream().allMatch(e ->
                        e.getValue().equals(snapshot.path("labels").path(e.getKey()).asText(null)));
                if (all) {
                    ids.add("projects/" + project + "/global/snapshots/" + snapshot.path("name").asText());
                }
            }
            pageToken = page.path("nextPageToken").asText(null);
            if (pageToken == null || pageToken.isEmpty()) {
                break;
            }
        }
        return ids;
    }

    private Matcher disk(String id) {
        Matcher m = DISK.matcher(id == null ? "" : id);
        if (!m.matches()) {
            throw new DiskException("InvalidDisk", false, "'" + id + "' is not a persistent disk (projects/P/zones/Z/disks/D)");
        }
        return m;
    }

    private static Matcher checkSnapshot(String id) {
        Matcher m = SNAPSHOT.matcher(id == null ? "" : id);
        if (!m.matches()) {
            throw new DiskException("InvalidSnapshot", false, "'" + id + "' is not a snapshot (projects/P/global/snapshots/S)");
        }
        return m;
    }

    private URI uri(String path, String query) {
        return URI.create(compute.toString().replaceAll("/+$", "") + "/compute/v1/" + path
                + (query == null ? "" : "?" + query));
    }

    /** Label values take lower-case letters, digits, '_' and '-', at most 63. */
    static String labelValue(String value) {
        String label = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        return label.length() <= 63 ? label : label.substring(0, 63);
    }

    private static void labels(ObjectNode body, Map<String, String> tags) {
        ObjectNode labels = body.putObject("labels");
        tags.forEach((key, value) -> labels.put(key, labelValue(value)));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Compute Engine's error as a {@link DiskException}: its first reason, else the status; throttling may be retried. */
    private static JsonNode ok(String what, JsonHttp.Response answer) {
        if (answer.ok()) {
            return answer.body();
        }
        JsonNode error = answer.body().path("error");
        String reason = error.path("errors").path(0).path("reason").asText(error.path("status").asText(""));
        String code = reason.isEmpty() ? String.valueOf(answer.status()) : reason;
        boolean retryable = answer.status() == 429 || answer.status() >= 500 || THROTTLED.contains(reason);
        throw new DiskException(code, retryable, what + ": " + answer.status() + " " + error.path("message").asText(""));
    }
}
