package io.lifeboat.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which discovered types a backup reads: those that can be listed, read, created and deleted, not subresources,
 * not what is never restored, and each kind once even when two groups serve it.
 */
public final class BackupTypes {
    private static final Set<String> REQUIRED_VERBS = Set.of("list", "get", "create", "delete");
    /** Never restored, so never backed up (Velero does the same). */
    private static final Set<String> NEVER = Set.of("nodes", "events", "events.events.k8s.io", "csinodes.storage.k8s.io",
            "volumeattachments.storage.k8s.io", "backups.velero.io", "restores.velero.io", "schedules.velero.io",
            "backupstoragelocations.velero.io", "volumesnapshotlocations.velero.io", "podvolumebackups.velero.io",
            "podvolumerestores.velero.io", "downloadrequests.velero.io", "deletebackuprequests.velero.io",
            "serverstatusrequests.velero.io", "backuprepositories.velero.io", "datauploads.velero.io",
            "datadownloads.velero.io", "componentstatuses", "bindings", "tokenreviews.authentication.k8s.io",
            "selfsubjectreviews.authentication.k8s.io", "subjectaccessreviews.authorization.k8s.io",
            "selfsubjectaccessreviews.authorization.k8s.io", "selfsubjectrulesreviews.authorization.k8s.io",
            "localsubjectaccessreviews.authorization.k8s.io");
    /** When two groups serve one kind, the first of these wins; the legacy extensions group always loses. */
    private static final List<String> GROUP_PREFERENCE = List.of("", "apps", "networking.k8s.io", "batch", "policy");

    private BackupTypes() {
    }

    /** The types a backup reads, and every other type the server serves with the reason it is not read. */
    public record Selection(List<ResourceType> selected, List<Skipped> skipped) {
    }

    /** A served type that no backup reads, and why. */
    public record Skipped(ResourceType type, String reason) {
    }

    /** Subresources ({@code pods/log}) are not types of their own and appear in neither list. */
    public static Selection select(List<ResourceType> discovered) {
        Map<String, ResourceType> byKind = new LinkedHashMap<>();
        List<Skipped> skipped = new ArrayList<>();
        List<ResourceType> duplicates = new ArrayList<>();
        for (ResourceType type : discovered) {
            if (type.resource().contains("/")) {
                continue;
            }
            if (NEVER.contains(type.groupResource())) {
                skipped.add(new Skipped(type, "never restored, so never backed up"));
                continue;
            }
            if (!type.verbs().containsAll(REQUIRED_VERBS)) {
                skipped.add(new Skipped(type, "it cannot be listed, read, created and deleted (verbs: "
                        + String.join(", ", new java.util.TreeSet<>(type.verbs())) + ")"));
                continue;
            }
            // Only built-in kinds move between groups; two custom groups may well define unrelated kinds of one name.
            String kindKey = kindKey(type);
            ResourceType existing = byKind.get(kindKey);
            if (existing == null || rank(type.group()) < rank(existing.group())) {
                if (existing != null) {
                    duplicates.add(existing);
                }
                byKind.put(kindKey, type);
            } else {
                duplicates.add(type);
            }
        }
        for (ResourceType duplicate : duplicates) {
            skipped.add(new Skipped(duplicate, "the same objects are served as "
                    + byKind.get(kindKey(duplicate)).groupResource() + ", and backed up there"));
        }
        List<ResourceType> selected = new ArrayList<>(byKind.values());
        selected.sort(Comparator.comparing(ResourceType::groupResource));
        skipped.sort(Comparator.comparing(s -> s.type().groupResource()));
        return new Selection(selected, skipped);
    }

    private static String kindKey(ResourceType type) {
        return builtIn(type.group()) ? type.kind() + "|" + type.namespaced() : type.groupResource();
    }

    /** Groups of Kubernetes itself; a CRD can only define types outside them. */
    public static boolean builtIn(String group) {
        return !group.contains(".") || group.endsWith(".k8s.io");
    }

    /** Lower is preferred.  */
    private static int rank(String group) {
        if (group.equals("extensions")) {
            return Integer.MAX_VALUE;
        }
        int index = GROUP_PREFERENCE.indexOf(group);
        return index < 0 ? GROUP_PREFERENCE.size() : index;
    }
}
