package io.lifeboat.disks.azure;

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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Managed-disk snapshots through Azure Resource Manager's REST API (Microsoft.Compute, api-version
 * {@value #API_VERSION}), with the location's service principal: the disk is read (its region and SKU), a full snapshot
 * of it is PUT into the location's subscription and resource group, tagged; it is looked at by GET until its
 * provisioningState is Succeeded; a disk is PUT from it into the target cluster's resource group (its node's, when the
 * node runs in the location's subscription or the original disk's; a node in any other is refused) or the original
 * disk's when no node says, in the zone asked;
 * DELETE removes it. The snapshots of a backup are listed from the resource group and matched by tag.
 */
public final class AzureDiskSnapshots implements DiskSnapshots {
    public static final String API_VERSION = "2023-04-02";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESOURCE = Pattern.compile(
            "/subscriptions/([0-9A-Za-z-]+)/resourceGroups/([\\w().-]+)/providers/Microsoft\\.Compute/(disks|snapshots)/([\\w.-]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ZONE = Pattern.compile("[a-z0-9]+-(\\d)");

    private final JsonHttp http;
    private final URI management;
    private final BearerToken token;
    private final String subscription;
    private final String resourceGroup;

    /** Snapshots go to {@code subscription}/{@code resourceGroup}: the location's. */
    public AzureDiskSnapshots(JsonHttp http, URI management, BearerToken token, String subscription, String resourceGroup) {
        this.http = http;
        this.management = management;
        this.token = token;
        this.subscription = subscription;
        this.resourceGroup = resourceGroup;
    }

    @Override
    public Cloud cloud() {
        return Cloud.azure;
    }

    @Override
    public Started createSnapshot(Disk disk, String name, Map<String, String> tags) {
        JsonNode found = ok("read disk", http.send("GET", uri(checked(disk.id())), token.get(), null));
        String id = "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Compute/snapshots/" + name;
        ObjectNode body = JSON.createObjectNode();
        body.put("location", found.path("location").asText());
        tags(body, tags);
        ObjectNode properties = body.putObject("properties");
        properties.putObject("creationData").put("createOption", "Copy").put("sourceResourceId", disk.id());
        properties.put("incremental", false);
        ok("create snapshot", http.send("PUT", uri(checked(id)), token.get(), body));
        String sku = found.path("sku").path("name").asText(null);
        return new Started(id, sku, null);
    }

    @Override
    public SnapshotState snapshot(String snapshotId) {
        JsonHttp.Response answer = http.send("GET", uri(checked(snapshotId)), token.get(), null);
        if (answer.status() == 404) {
            return SnapshotState.missing(snapshotId);
        }
        JsonNode snapshot = ok("read snapshot", answer);
        String state = snapshot.path("properties").path("provisioningState").asText("");
        JsonNode percent = snapshot.path("properties").path("completionPercent");
        SnapshotState.Status status = switch (state) {
            case "Succeeded" -> percent.isNumber() && percent.asDouble() < 100 ? SnapshotState.Status.PENDING
                    : SnapshotState.Status.COMPLETED;
            case "Failed", "Canceled" -> SnapshotState.Status.FAILED;
            default -> SnapshotState.Status.PENDING;
        };
        return new SnapshotState(snapshotId, status, "provisioningState " + state, tagsOf(snapshot));
    }

    @Override
    public Disk createDisk(String snapshotId, Disk original, String volumeType, Long volumeIOPS, String zone,
                           String name, Map<String, String> tags, TargetNode node) {
        Matcher disk = RESOURCE.matcher(checked(original.id()));
        if (!disk.matches()) {
            throw new DiskException("InvalidResourceId", false, "'" + original.id() + "' is not a disk's resource ID");
        }
        JsonNode snapshot = ok("read snapshot", http.send("GET", uri(checked(snapshotId)), token.get(), null));
        boolean onNode = node != null && node.cloud() == Cloud.azure;
        if (onNode && !node.account().equalsIgnoreCase(subscription) && !node.account().equalsIgnoreCase(disk.group(1))) {
            throw new DiskException(OTHER_ACCOUNT, false, "the target cluster's " + node.describe() + " runs outside "
                    + "the location's subscription (" + subscription + ") and the snapshotted disk's (" + disk.group(1)
                    + "): Lifeboat makes disks only there, so that a cluster cannot send copies of a backup's disks to "
                    + "a subscription it names");
        }
        String id = checked("/subscriptions/" + (onNode ? node.account() : disk.group(1)) + "/resourceGroups/"
                + (onNode ? node.group() : disk.group(2)) + "/providers/Microsoft.Compute/disks/" + name);
        ObjectNode body = JSON.createObjectNode();
        body.put("location", snapshot.path("location").asText());
        if (zone != null) {
            Matcher z = ZONE.matcher(zone);
            if (!z.matches()) {
                throw new DiskException("InvalidZone", false, "'" + zone + "' is not an Azure zone such as eastus2-1");
            }
            body.putArray("zones").add(z.group(1));
        }
        if (volumeType != null && !volumeType.isEmpty()) {
            body.putObject("sku").put("name", volumeType);
        }
        tags(body, tags);
        body.putObject("properties").putObject("creationData").put("createOption", "Copy")
                .put("sourceResourceId", snapshotId);
        ok("create disk", http.send("PUT", uri(checked(id)), token.get(), body));
        return new Disk(Cloud.azure, id, zone, zone == null ? snapshot.path("location").asText(null)
                : DiskOf.regionOf(Cloud.azure, zone), original.source());
    }

    @Override
    public boolean deleteSnapshot(String snapshotId) {
        JsonHttp.Response answer = http.send("DELETE", uri(checked(snapshotId)), token.get(), null);
        if (answer.status() == 404 || answer.status() == 204) {
            return false; // ARM answers 204 No Content to the deletion of what does not exist
        }
        ok("delete snapshot", answer);
        return true;
    }

    @Override
    public List<String> snapshotsTagged(Map<String, String> tags) {
        List<String> ids = new ArrayList<>();
        URI next = uri("/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Compute/snapshots");
        for (int pages = 0; next != null && pages < 1000; pages++) {
            JsonNode page = ok("list snapshots", http.send("GET", next, token.get(), null));
            for (JsonNode snapshot : page.path("value")) {
                if (tagsOf(snapshot).entrySet().containsAll(tags.entrySet())) {
                    ids.add(snapshot.path("id").asText());
                }
            }
            String link = page.path("nextLink").asText("");
            next = link.isEmpty() ? null : sameHost(URI.create(link));
        }
        return ids;
    }

    /** A nextLink is followed only on the management endpoint itself. */
    private URI sameHost(URI link) {
        if (!management.getHost().equalsIgnoreCase(link.getHost()) || management.getPort() != link.getPort()
                || !management.getScheme().equals(link.getScheme())) {
            throw new DiskException("UnexpectedNextLink", false, "the snapshot list's nextLink leads to another host");
        }
        return link;
    }

    private URI uri(String path) {
        return URI.create(management.toString().replaceAll("/+$", "") + path + "?api-version=" + API_VERSION);
    }

    /** A resource ID used in a path must be one of Microsoft.Compute's disks or snapshots, with nothing else in it. */
    private static String checked(String id) {
        if (id == null || !RESOURCE.matcher(id).matches() || id.contains("..")) {
            throw new DiskException("InvalidResourceId", false, "'" + id + "' is not a disk's or snapshot's resource ID");
        }
        return id;
    }

    private static void tags(ObjectNode body, Map<String, String> tags) {
        ObjectNode node = body.putObject("tags");
        tags.forEach(node::put);
    }

    private static Map<String, String> tagsOf(JsonNode resource) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = resource.path("tags").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> tag = it.next();
            tags.put(tag.getKey(), tag.getValue().asText());
        }
        return tags;
    }

    /** ARM's error ({"error":{"code","message"}}) as a {@link DiskException}; 429 and 5xx may be retried. */
    private static JsonNode ok(String what, JsonHttp.Response answer) {
        if (answer.ok()) {
            return answer.body();
        }
        JsonNode error = answer.body().path("error");
        String code = error.path("code").asText(String.valueOf(answer.status()));
        throw new DiskException(code, answer.status() == 429 || answer.status() >= 500,
                what + ": " + answer.status() + " " + error.path("message").asText(""));
    }
}
