package io.lifeboat.disks.aws;

import io.lifeboat.disks.http.Recorder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * EC2's Query API as a recorder answers it (API version 2016-11-15): form-encoded POSTs signed with SigV4 for the
 * service {@code ec2}, XML answers in the EC2 namespace, errors as {@code <Response><Errors><Error>} with EC2's codes
 * (InvalidVolume.NotFound, InvalidSnapshot.NotFound, RequestLimitExceeded with 503). Every request is checked: its
 * action, version, signature scope and the fields each action needs. Volumes are added by the test; snapshots go
 * pending, then completed after a number of looks (or never).
 */
public final class Ec2Api implements Recorder.Handler {
    public static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    public record Volume(String id, String zone, String type, Integer iops, int sizeGiB) {
    }

    public static final class Snapshot {
        public final String id;
        public final String volumeId;
        public final Map<String, String> tags;
        public int looks;
        public String state = "pending";

        Snapshot(String id, String volumeId, Map<String, String> tags) {
            this.id = id;
            this.volumeId = volumeId;
            this.tags = tags;
        }
    }

    public final Map<String, Volume> volumes = new LinkedHashMap<>();
    /** The account's instances, by ID, with their zones: what DescribeInstances finds. */
    public final Map<String, String> instances = new LinkedHashMap<>();
    public final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
    public final List<Map<String, String>> createdVolumes = new ArrayList<>();
    public final List<String> deleted = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger(0x100);
    public int looksToComplete = 2;
    public boolean neverComplete;
    /** Answer this many next requests with RequestLimitExceeded. */
    public int throttle;
    /** Snapshots per DescribeSnapshots page when listing by filter. */
    public int pageSize = 1000;

    public Ec2Api volume(String id, String zone, String type, Integer iops) {
        volumes.put(id, new Volume(id, zone, type, iops, 20));
        return this;
    }

    @Override
    public synchronized Recorder.Answer answer(Recorder.Request request) {
        check("POST".equals(request.method()), "EC2 takes POST, not " + request.method());
        String auth = request.header("Authorization");
        check(auth != null && auth.startsWith("AWS4-HMAC-SHA256 Credential=AKIDLIFEBOAT/")
                && auth.contains("/us-east-1/ec2/aws4_request"), "not signed for ec2 in us-east-1: " + auth);
        Map<String, String> form = request.form();
        check("2016-11-15".equals(form.get("Version")), "Version " + form.get("Version"));
        if (throttle > 0) {
            throttle--;
            return error(503, "RequestLimitExceeded", "Request limit exceeded.");
        }
        String action = form.get("Action");
        return switch (action) {
            case "DescribeVolumes" -> describeVolumes(form);
            case "CreateSnapshot" -> createSnapshot(form);
            case "DescribeSnapshots" -> describeSnapshots(form);
            case "CreateVolume" -> createVolume(form);
            case "DeleteSnapshot" -> deleteSnapshot(form);
            case "DescribeInstances" -> describeInstances(form);
            default -> throw new AssertionError("unexpected action " + action);
        };
    }

    private Recorder.Answer describeVolumes(Map<String, String> form) {
        String id = form.get("VolumeId.1");
        Volume v = volumes.get(id);
        if (v == null) {
            return error(400, "InvalidVolume.NotFound", "The volume '" + id + "' does not exist.");
        }
        return ok("DescribeVolumesResponse", "<volumeSet><item><volumeId>" + v.id() + "</volumeId><size>" + v.sizeGiB()
                + "</size><snapshotId/><availabilityZone>" + v.zone() + "</availabilityZone><status>in-use</status>"
                + "<createTime>2026-11-01T10:00:00.000Z</createTime><attachmentSet/><volumeType>" + v.type()
                + "</volumeType>" + (v.iops() == null ? "" : "<iops>" + v.iops() + "</iops>")
                + "<encrypted>false</encrypted><multiAttachEnabled>false</multiAttachEnabled></item></volumeSet>");
    }

    private Recorder.Answer createSnapshot(Map<String, String> form) {
        String volumeId = form.get("VolumeId");
        check(volumes.containsKey(volumeId), "CreateSnapshot of unknown " + volumeId);
        check("snapshot".equals(form.get("TagSpecification.1.ResourceType")), "tags must be given at creation");
        Map<String, String> tags = tags(form, "TagSpecification.1.Tag.");
        check(tags.containsKey("lifeboat-backup") && tags.containsKey("lifeboat-project")
                && tags.containsKey("lifeboat-claim") && tags.containsKey("Name"), "tags " + tags);
        String id = String.format("snap-0%016x", ids.incrementAndGet());
        snapshots.put(id, new Snapshot(id, volumeId, tags));
        return ok("CreateSnapshotResponse", "<snapshotId>" + id + "</snapshotId><volumeId>" + volumeId
                + "</volumeId><status>pending</status><startTime>2026-12-06T07:00:00.000Z</startTime><progress/>"
                + "<ownerId>123456789012</ownerId><volumeSize>20</volumeSize><description>" + form.get("Description")
                + "</description><encrypted>false</encrypted>" + tagSet(tags));
    }

    private Recorder.Answer describeSnapshots(Map<String, String> form) {
        List<Snapshot> found = new ArrayList<>();
        if (form.containsKey("SnapshotId.1")) {
            Snapshot s = snapshots.get(form.get("SnapshotId.1"));
            if (s == null) {
                return error(400, "InvalidSnapshot.NotFound", "The snapshot '" + form.get("SnapshotId.1") + "' does not exist.");
            }
            s.looks++;
            if (!neverComplete && s.looks >= looksToComplete && s.state.equals("pending")) {
                s.state = "completed";
            }
            found.add(s);
        } else {
            check("self".equals(form.get("Owner.1")), "a listing must be of the account's own snapshots");
            Map<String, String> filters = new TreeMap<>();
            for (int i = 1; form.containsKey("Filter." + i + ".Name"); i++) {
                filters.put(form.get("Filter." + i + ".Name"), form.get("Filter." + i + ".Value.1"));
            }
            check(!filters.isEmpty(), "a listing without a tag filter");
            snapshots.values().stream().filter(s -> filters.entrySet().stream().allMatch(f ->
                    f.getKey().startsWith("tag:") && f.getValue().equals(s.tags.get(f.getKey().substring(4)))))
                    .forEach(found::add);
        }
        int start = form.containsKey("NextToken") ? Integer.parseInt(form.get("NextToken")) : 0;
        List<Snapshot> page = found.subList(Math.min(start, found.size()), Math.min(start + pageSize, found.size()));
        StringBuilder items = new StringBuilder("<snapshotSet>");
        for (Snapshot s : page) {
            items.append("<item><snapshotId>").append(s.id).append("</snapshotId><volumeId>").append(s.volumeId)
                    .append("</volumeId><status>").append(s.state).append("</status><startTime>2026-12-06T07:00:00.000Z")
                    .append("</startTime><progress>").append(s.state.equals("completed") ? "100%" : "40%")
                    .append("</progress><ownerId>123456789012</ownerId><volumeSize>20</volumeSize><encrypted>false")
                    .append("</encrypted>").append(tagSet(s.tags)).append("</item>");
        }
        items.append("</snapshotSet>");
        if (start + pageSize < found.size()) {
            items.append("<nextToken>").append(start + pageSize).append("</nextToken>");
        }
        return ok("DescribeSnapshotsResponse", items.toString());
    }

    private Recorder.Answer createVolume(Map<String, String> form) {
        String snapshotId = form.get("SnapshotId");
        Snapshot s = snapshots.get(snapshotId);
        if (s == null) {
            return error(400, "InvalidSnapshot.NotFound", "The snapshot '" + snapshotId + "' does not exist.");
        }
        check(s.state.equals("completed"), "a volume from a snapshot not completed");
        check(form.get("AvailabilityZone") != null, "CreateVolume needs an AvailabilityZone");
        check("volume".equals(form.get("TagSpecification.1.ResourceType")), "the volume's tags at creation");
        createdVolumes.add(form);
        String id = String.format("vol-0%016x", ids.incrementAndGet());
        String type = form.getOrDefault("VolumeType", "gp2");
        volumes.put(id, new Volume(id, form.get("AvailabilityZone"), type, null, 20));
        return ok("CreateVolumeResponse", "<volumeId>" + id + "</volumeId><size>20</size><snapshotId>" + snapshotId
                + "</snapshotId><availabilityZone>" + form.get("AvailabilityZone") + "</availabilityZone><status>creating"
                + "</status><createTime>2026-12-06T08:00:00.000Z</createTime><volumeType>" + type + "</volumeType>"
                + "<encrypted>false</encrypted>" + tagSet(tags(form, "TagSpecification.1.Tag.")));
    }

    /** One instance by ID, as the target node's check asks; another account's is InvalidInstanceID.NotFound. */
    private Recorder.Answer describeInstances(Map<String, String> form) {
        String id = form.get("InstanceId.1");
        check(id != null && !form.containsKey("InstanceId.2") && !form.containsKey("Filter.1.Name"),
                "one instance by ID, not a listing: " + form);
        String zone = instances.get(id);
        if (zone == null) {
            return error(400, "InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
        }
        return ok("DescribeInstancesResponse", "<reservationSet><item><reservationId>r-0123456789abcdef0</reservationId>"
                + "<ownerId>123456789012</ownerId><groupSet/><instancesSet><item><instanceId>" + id + "</instanceId>"
                + "<imageId>ami-0abcdef1234567890</imageId><instanceState><code>16</code><name>running</name>"
                + "</instanceState><instanceType>m5.large</instanceType><placement><availabilityZone>" + zone
                + "</availabilityZone><tenancy>default</tenancy></placement></item></instancesSet></item>"
                + "</reservationSet>");
    }

    private Recorder.Answer deleteSnapshot(Map<String, String> form) {
        String id = form.get("SnapshotId");
        if (snapshots.remove(id) == null) {
            return error(400, "InvalidSnapshot.NotFound", "The snapshot '" + id + "' does not exist.");
        }
        deleted.add(id);
        return ok("DeleteSnapshotResponse", "<return>true</return>");
    }

    private static Map<String, String> tags(Map<String, String> form, String prefix) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; form.containsKey(prefix + i + ".Key"); i++) {
            tags.put(form.get(prefix + i + ".Key"), form.get(prefix + i + ".Value"));
        }
        return tags;
    }

    private static String tagSet(Map<String, String> tags) {
        StringBuilder xml = new StringBuilder("<tagSet>");
        tags.forEach((k, v) -> xml.append("<item><key>").append(k).append("</key><value>").append(v).append("</value></item>"));
        return xml.append("</tagSet>").toString();
    }

    private static Recorder.Answer ok(String element, String content) {
        return Recorder.Answer.xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + element + " xmlns=\"" + NS
                + "\"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>" + content + "</" + element + ">");
    }

    static Recorder.Answer error(int status, String code, String message) {
        return Recorder.Answer.xml(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>"
                + code + "</Code><Message>" + message + "</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-"
                + "example</RequestID></Response>");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
