package io.lifeboat.disk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Points a backed-up PersistentVolume at the disk a restore made from its snapshot: the CSI volume handle, or the
 * in-tree field ({@code awsElasticBlockStore.volumeID}, {@code azureDisk.diskURI} and {@code diskName},
 * {@code gcePersistentDisk.pdName}), and, when the disk lies in another zone, every zone and region the PV names
 * (node affinity and labels), so that its pods are scheduled where the disk is.
 */
public final class DiskRewrite {
    private DiskRewrite() {
    }

    public static void pointAt(ObjectNode volume, Disk original, Disk created) {
        ObjectNode spec = (ObjectNode) volume.path("spec");
        if (spec.path("csi").isObject()) {
            ((ObjectNode) spec.get("csi")).put("volumeHandle", created.id());
        } else if (spec.path("awsElasticBlockStore").isObject()) {
            ((ObjectNode) spec.get("awsElasticBlockStore")).put("volumeID", "aws://" + created.zone() + "/" + created.id());
        } else if (spec.path("azureDisk").isObject()) {
            ((ObjectNode) spec.get("azureDisk")).put("diskURI", created.id()).put("diskName", created.name());
        } else if (spec.path("gcePersistentDisk").isObject()) {
            ((ObjectNode) spec.get("gcePersistentDisk")).put("pdName", created.name());
        }
        if (created.zone() != null && !created.zone().equals(original.zone())) {
            replace(volume, DiskOf.ZONE_KEYS, original.zone(), created.zone());
        }
        if (created.region() != null && original.region() != null && !created.region().equals(original.region())) {
            replace(volume, DiskOf.REGION_KEYS, original.region(), created.region());
        }
    }

    /** Every value {@code from} of one of the keys, in the required node affinity and in the labels, becomes {@code to}. */
    private static void replace(ObjectNode volume, java.util.List<String> keys, String from, String to) {
        for (JsonNode term : volume.path("spec").path("nodeAffinity").path("required").path("nodeSelectorTerms")) {
            for (JsonNode expression : term.path("matchExpressions")) {
                if (keys.contains(expression.path("key").asText()) && expression.path("values").isArray()) {
                    ArrayNode values = (ArrayNode) expression.get("values");
                    for (int i = 0; i < values.size(); i++) {
                        if (values.get(i).asText().equals(from)) {
                            values.set(i, values.textNode(to));
                        }
                    }
                }
            }
        }
        JsonNode labels = volume.path("metadata").path("labels");
        if (labels.isObject()) {
            for (String key : keys) {
                if (labels.path(key).asText("").equals(from)) {
                    ((ObjectNode) labels).put(key, to);
                }
            }
        }
    }
}
