package io.lifeboat.disk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which cloud disk backs a PersistentVolume: the CSI volume handle of {@code ebs.csi.aws.com},
 * {@code disk.csi.azure.com} and {@code pd.csi.storage.gke.io}, or the in-tree source ({@code awsElasticBlockStore},
 * {@code azureDisk}, {@code gcePersistentDisk}); its zone from the PV's node affinity, else its labels (the in-tree
 * volumes carry the zone as a label), else the handle itself (GCE's names it).
 */
public final class DiskOf {
    public static final String EBS_CSI = "ebs.csi.aws.com";
    public static final String AZURE_CSI = "disk.csi.azure.com";
    public static final String GCE_CSI = "pd.csi.storage.gke.io";

    /** Zone keys, the general one first, then the drivers' own and the deprecated beta one. */
    static final List<String> ZONE_KEYS = List.of("topology.kubernetes.io/zone", "topology.ebs.csi.aws.com/zone",
            "topology.disk.csi.azure.com/zone", "topology.gke.io/zone", "failure-domain.beta.kubernetes.io/zone");
    static final List<String> REGION_KEYS = List.of("topology.kubernetes.io/region",
            "failure-domain.beta.kubernetes.io/region");

    private static final Pattern EBS_VOLUME = Pattern.compile("vol-[0-9a-f]{8,17}");
    private static final Pattern EBS_URL = Pattern.compile("aws://([a-z0-9-]*)/(vol-[0-9a-f]{8,17})");
    private static final Pattern AZURE_DISK = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Compute/disks/([^/]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern GCE_ZONAL = Pattern.compile("projects/([^/]+)/zones/([^/]+)/disks/([^/]+)");
    private static final Pattern GCE_REGIONAL = Pattern.compile("projects/([^/]+)/regions/([^/]+)/disks/([^/]+)");
    private static final Pattern GCE_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern AWS_ZONE = Pattern.compile("([a-z]{2}(-[a-z]+)+-\\d{1,2})[a-z]");
    private static final Pattern AZURE_ZONE = Pattern.compile("([a-z0-9]+)-\\d");
    private static final Pattern GCE_ZONE = Pattern.compile("([a-z]+-[a-z]+\\d+)-[a-z]");

    private DiskOf() {
    }

    /** A disk, or why the PV names none that Lifeboat can snapshot natively. */
    public record Reading(Disk disk, String reason) {
        static Reading of(Disk disk) {
            return new Reading(disk, null);
        }

        static Reading none(String reason) {
            return new Reading(null, reason);
        }

        public boolean found() {
            return disk != null;
        }
    }

    /** Reads the disk of a PersistentVolume object. */
    public static Reading of(JsonNode volume) {
        JsonNode spec = volume.path("spec");
        JsonNode csi = spec.path("csi");
        String zone = labelled(volume, ZONE_KEYS);
        String region = labelled(volume, REGION_KEYS);
        if (csi.isObject()) {
            String driver = csi.path("driver").asText("");
            String handle = csi.path("volumeHandle").asText("");
            return switch (driver) {
                case EBS_CSI -> ebs(handle, zone, region, EBS_CSI);
                case AZURE_CSI -> azure(handle, zone, region, AZURE_CSI);
                case GCE_CSI -> gce(handle, zone, GCE_CSI);
                default -> Reading.none("its CSI driver " + driver + " is not one whose disks Lifeboat snapshots "
                        + "through the cloud (" + EBS_CSI + ", " + AZURE_CSI + ", " + GCE_CSI + ")");
            };
        }
        if (spec.path("awsElasticBlockStore").isObject()) {
            String id = spec.path("awsElasticBlockStore").path("volumeID").asText("");
            Matcher url = EBS_URL.matcher(id);
            if (url.matches()) {
                String urlZone = url.group(1).isEmpty() ? zone : url.group(1);
                return ebs(url.group(2), urlZone, region, "awsElasticBlockStore");
            }
            return ebs(id, zone, region, "awsElasticBlockStore");
        }
        if (spec.path("azureDisk").isObject()) {
            JsonNode azureDisk = spec.path("azureDisk");
            String kind = azureDisk.path("kind").asText("Managed");
            if (!kind.equals("Managed")) {
                return Reading.none("its azureDisk is of kind " + kind + " (a blob VHD), not a managed disk");
            }
            return azure(azureDisk.path("diskURI").asText(""), zone, region, "azureDisk");
        }
        if (spec.path("gcePersistentDisk").isObject()) {
            String name = spec.path("gcePersistentDisk").path("pdName").asText("");
            if (!GCE_NAME.matcher(name).matches()) {
                return Reading.none("its gcePersistentDisk.pdName '" + name + "' is not a disk name");
            }
            if (zone == null || zone.contains("__")) {
                return Reading.none("its gcePersistentDisk " + name + " has no single zone in its labels or node "
                        + "affinity (a regional disk, or none said)");
            }
            return Reading.of(new Disk(Cloud.gcp, "zones/" + zone + "/disks/" + name, zone, region(zone, GCE_ZONE, region),
                    "gcePersistentDisk"));
        }
        return Reading.none("it is backed by no cloud disk (neither a CSI volume of a cloud's disk driver, nor an "
                + "in-tree awsElasticBlockStore, azureDisk or gcePersistentDisk)");
    }

    private static Reading ebs(String id, String zone, String region, String source) {
        if (!EBS_VOLUME.matcher(id).matches()) {
            return Reading.none("its volume ID '" + id + "' is not an EBS volume ID (vol-…)");
        }
        if (zone == null) {
            return Reading.none("EBS volume " + id + " has no zone in its node affinity or labels");
        }
        return Reading.of(new Disk(Cloud.aws, id, zone, region(zone, AWS_ZONE, region), source));
    }

    private static Reading azure(String id, String zone, String region, String source) {
        Matcher m = AZURE_DISK.matcher(id);
        if (!m.matches()) {
            return Reading.none("its disk '" + id + "' is not the resource ID of an Azure managed disk "
                    + "(/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/disks/…)");
        }
        String zoned = zone == null || zone.isEmpty() || zone.equals("0") ? null : zone.toLowerCase(Locale.ROOT);
        String normalized = "/subscriptions/" + m.group(1) + "/resourceGroups/" + m.group(2)
                + "/providers/Microsoft.Compute/disks/" + m.group(3);
        return Reading.of(new Disk(Cloud.azure, normalized, zoned, zoned == null ? region : region(zoned, AZURE_ZONE, region),
                source));
    }

    private static Reading gce(String handle, String zone, String source) {
        Matcher zonal = GCE_ZONAL.matcher(handle);
        if (zonal.matches()) {
            String handleZone = zonal.group(2);
            return Reading.of(new Disk(Cloud.gcp, handle, handleZone, region(handleZone, GCE_ZONE, null), source));
        }
        if (GCE_REGIONAL.matcher(handle).matches()) {
            return Reading.none("its disk " + handle + " is a regional persistent disk, which Lifeboat does not "
                    + "snapshot natively yet");
        }
        return Reading.none("its volume handle '" + handle + "' is not a persistent disk (projects/P/zones/Z/disks/D)");
    }

    /** The region a zone lies in, by the cloud's naming ({@code us-east-1a}, {@code eastus-2}, {@code europe-west1-b}), or null. */
    public static String regionOf(Cloud cloud, String zone) {
        if (zone == null) {
            return null;
        }
        return region(zone, switch (cloud) {
            case aws -> AWS_ZONE;
            case azure -> AZURE_ZONE;
            case gcp -> GCE_ZONE;
        }, null);
    }

    /** The region a zone lies in, by the cloud's naming; the labelled one when the zone does not say. */
    private static String region(String zone, Pattern pattern, String labelled) {
        Matcher m = pattern.matcher(zone);
        return m.matches() ? m.group(1) : labelled;
    }

    /** The first value for one of the keys in the PV's required node affinity (In), else in its labels. */
    private static String labelled(JsonNode volume, List<String> keys) {
        JsonNode terms = volume.path("spec").path("nodeAffinity").path("required").path("nodeSelectorTerms");
        for (String key : keys) {
            for (JsonNode term : terms) {
                for (JsonNode expression : term.path("matchExpressions")) {
                    if (key.equals(expression.path("key").asText()) && "In".equals(expression.path("operator").asText())
                            && expression.path("values").size() > 0) {
                        return expression.path("values").get(0).asText();
                    }
                }
            }
        }
        JsonNode labels = volume.path("metadata").path("labels");
        for (String key : keys) {
            if (labels.hasNonNull(key) && !labels.get(key).asText().isEmpty()) {
                return labels.get(key).asText();
            }
        }
        return null;
    }
}
