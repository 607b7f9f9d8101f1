package io.lifeboat.disk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node of a restore's target cluster, as its {@code spec.providerID} and topology labels place it: the disks made
 * from native snapshots must be made where it runs, or no pod there can attach them.
 * <ul>
 * <li>AWS, {@code aws:///us-east-1a/i-0123456789abcdef0}: the zone and the instance (the account is not in it: the
 * cloud is asked whether the location's credentials see the instance).</li>
 * <li>Azure, {@code azure:///subscriptions/S/resourceGroups/G/providers/Microsoft.Compute/virtualMachines/V} (or a
 * scale set's {@code virtualMachineScaleSets/SS/virtualMachines/N}): {@code account} the subscription, {@code group}
 * the resource group.</li>
 * <li>GCE, {@code gce://project/zone/instance}: {@code account} the project, and the zone.</li>
 * </ul>
 * The region and zone come from the node's {@code topology.kubernetes.io} labels when it has them, else from the
 * providerID. A providerID comes from the target cluster: only one of these exact shapes, with the characters each
 * cloud allows, is read (its parts go into cloud API paths); anything else is no node of a known cloud.
 */
public record TargetNode(String name, Cloud cloud, String account, String group, String instance, String region,
                         String zone) {
    private static final Pattern AWS = Pattern.compile("aws:///?([a-z0-9-]*)/(i-[0-9a-f]{8,17})");
    private static final Pattern AZURE = Pattern.compile("azure:///subscriptions/([0-9a-fA-F-]{36})/resourceGroups/"
            + "([-\\w.()]{0,89}[-\\w()])/providers/Microsoft\\.Compute/(?:virtualMachines/([-\\w.]{1,80})|"
            + "virtualMachineScaleSets/([-\\w.]{1,80})/virtualMachines/(\\d{1,10}))", Pattern.CASE_INSENSITIVE);
    private static final Pattern GCE = Pattern.compile("gce://([a-z][-a-z0-9.:]{0,61}[a-z0-9])/([a-z]+-[a-z]+\\d+-[a-z])/"
            + "([a-z]([-a-z0-9]{0,61}[a-z0-9])?)");
    private static final Pattern ZONE = Pattern.compile("[a-z0-9-]{1,64}");

    /** The node of a Node object, or null when its providerID is not one of a cloud Lifeboat snapshots. */
    public static TargetNode of(JsonNode node) {
        String name = shown(node.path("metadata").path("name").asText(""));
        String providerId = node.path("spec").path("providerID").asText("");
        JsonNode labels = node.path("metadata").path("labels");
        String labelledZone = safe(labels.path("topology.kubernetes.io/zone").asText(null));
        String labelledRegion = safe(labels.path("topology.kubernetes.io/region").asText(null));
        Matcher m = AWS.matcher(providerId);
        if (m.matches()) {
            String zone = labelledZone != null ? labelledZone : m.group(1).isEmpty() ? null : m.group(1);
            return new TargetNode(name, Cloud.aws, null, null, m.group(2), region(Cloud.aws, labelledRegion, zone), zone);
        }
        m = AZURE.matcher(providerId);
        if (m.matches()) {
            String instance = m.group(3) != null ? m.group(3) : m.group(4) + "/" + m.group(5);
            return new TargetNode(name, Cloud.azure, m.group(1).toLowerCase(Locale.ROOT), m.group(2), instance,
                    region(Cloud.azure, labelledRegion, labelledZone), labelledZone);
        }
        m = GCE.matcher(providerId);
        if (m.matches()) {
            String zone = labelledZone != null ? labelledZone : m.group(2);
            return new TargetNode(name, Cloud.gcp, m.group(1), null, m.group(3), region(Cloud.gcp, labelledRegion, zone),
                    zone);
        }
        return null;
    }

    /** A node's name as messages show it: a DNS subdomain's characters only, at most 253 (the cluster wrote it). */
    private static String shown(String name) {
        String printable = name.replaceAll("[^a-z0-9.-]", "?");
        return printable.length() > 253 ? printable.substring(0, 253) : printable;
    }

    private static String region(Cloud cloud, String labelled, String zone) {
        return labelled != null ? labelled : DiskOf.regionOf(cloud, zone);
    }

    private static String safe(String value) {
        return value != null && ZONE.matcher(value).matches() ? value : null;
    }

    /** "node N (the providerID's place)", for messages. */
    public String describe() {
        String where = switch (cloud) {
            case aws -> "instance " + instance;
            case azure -> "subscription " + account + ", resource group " + group;
            case gcp -> "project " + account;
        };
        return "node " + name + " (" + where + (region == null ? "" : ", region " + region) + ")";
    }
}
