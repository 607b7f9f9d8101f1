package io.lifeboat.discovery;

import java.util.List;
import java.util.Map;

/**
 * What discovery found: every resource type the server serves, each at one version (see {@link PreferredResources}),
 * and the group versions that could not be read, each with the reason. A backup that could not read a group version
 * cannot say it holds everything, so those become errors of the backup.
 */
public record Discovery(List<ResourceType> types, Map<String, String> unreadableGroupVersions) {
    public Discovery {
        types = List.copyOf(types);
        unreadableGroupVersions = Map.copyOf(unreadableGroupVersions);
    }

    public static Discovery of(List<ResourceType> types) {
        return new Discovery(types, Map.of());
    }
}
