package io.lifeboat.restore;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster-scoped objects a restore without includeClusterResources still creates, because the namespaced items
 * it restores need them: the CRDs of the custom types that have items in the included namespaces, and the
 * PersistentVolumes that included claims are restored onto (bound again by {@code volumeName}). The restore fills
 * this from its namespaced items before it decides any CRD or volume.
 */
public final class NeededClusterObjects {
    private final Set<String> customTypes = ConcurrentHashMap.newKeySet();
    /** Volume name to the claim ({@code namespace/name}, as backed up) restored onto it. */
    private final Map<String, String> volumes = new ConcurrentHashMap<>();

    /** A resource folder ({@code widgets.demo.lifeboat.io}) that has an item the restore takes. */
    public void typeWithItems(String resourceFolder) {
        customTypes.add(resourceFolder);
    }

    /** A claim the restore takes is bound again to this volume. */
    public void volumeOfClaim(String volume, String namespace, String claim) {
        volumes.putIfAbsent(volume, namespace + "/" + claim);
    }

    /** True when the resource folder {@code <plural>.<group>} has items the restore takes. */
    public boolean hasItems(String resourceFolder) {
        return customTypes.contains(resourceFolder);
    }

    /** The claim ({@code namespace/name}) restored onto the volume, or null when no included claim is. */
    public String claimOf(String volume) {
        return volumes.get(volume);
    }
}
