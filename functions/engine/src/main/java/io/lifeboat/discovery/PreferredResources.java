package io.lifeboat.discovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses, within one API group, the version each resource is read at, as client-go's
 * {@code ServerPreferredResources} does: the group's versions are taken in the server's order, a resource is kept at the
 * first version that serves it, and the group's preferred version replaces whatever was kept before it. So a kind that
 * only an older version serves is still found, at that version.
 */
public final class PreferredResources {
    private PreferredResources() {
    }

    /**
     * {@code versions}: the resources of each version of the group, in the order the server lists the versions.
     * Subresources ({@code deployments/scale}) are kept at the version of their resource.
     */
    public static List<ResourceType> choose(String preferredVersion, List<List<ResourceType>> versions) {
        Map<String, ResourceType> byResource = new LinkedHashMap<>();
        for (List<ResourceType> version : versions) {
            for (ResourceType type : version) {
                ResourceType kept = byResource.get(type.resource());
                if (kept == null || type.version().equals(preferredVersion) && !kept.version().equals(preferredVersion)) {
                    byResource.put(type.resource(), type);
                }
            }
        }
        return new ArrayList<>(byResource.values());
    }
}
