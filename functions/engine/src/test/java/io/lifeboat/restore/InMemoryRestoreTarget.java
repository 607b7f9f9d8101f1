package io.lifeboat.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.discovery.InMemoryClusterSource;
import io.lifeboat.discovery.ResourceType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cluster to restore into, in memory. A custom type is served only once its CRD has been created, as on a real
 * server; creates are recorded in order, and objects can be set to be refused.
 */
public final class InMemoryRestoreTarget implements RestoreTarget {
    private final Map<String, ResourceType> builtIn = new ConcurrentHashMap<>();
    private final Map<String, ResourceType> custom = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
    private final List<String> createdInOrder = new ArrayList<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Set<String> storageClasses = ConcurrentHashMap.newKeySet();

    public InMemoryRestoreTarget serve(String group, String version, String resource, String kind, boolean namespaced) {
        ResourceType type = new ResourceType(group, version, resource, kind, namespaced, InMemoryClusterSource.ALL_VERBS);
        builtIn.put(type.groupResource(), type);
        return this;
    }

    /** The custom type a CRD of this name defines, served once the CRD exists. */
    public InMemoryRestoreTarget definedBy(String crdName, String version, String kind, boolean namespaced) {
        String resource = crdName.substring(0, crdName.indexOf('.'));
        String group = crdName.substring(crdName.indexOf('.') + 1);
        custom.put(crdName, new ResourceType(group, version, resource, kind, namespaced, InMemoryClusterSource.ALL_VERBS));
        return this;
    }

    public void refuse(String groupResource, String namespace, String name) {
        refused.add(key(groupResource, namespace, name));
    }

    public void addStorageClass(String name) {
        storageClasses.add(name);
    }

    public void put(String groupResource, String namespace, String name, ObjectNode object) {
        objects.put(key(groupResource, namespace, name), object);
    }

    public Map<String, ObjectNode> objects() {
        return objects;
    }

    public List<String> createdInOrder() {
        return createdInOrder;
    }

    private static String key(String groupResource, String namespace, String name) {
        return groupResource + "/" + (namespace == null ? "" : namespace + "/") + name;
    }

    @Override
    public Optional<ResourceType> type(String resourceFolder) {
        if (builtIn.containsKey(resourceFolder)) {
            return Optional.of(builtIn.get(resourceFolder));
        }
        ResourceType type = custom.get(resourceFolder);
        boolean defined = objects.containsKey(key(RestoreOrder.CRDS, null, resourceFolder));
        return type != null && defined ? Optional.of(type) : Optional.empty();
    }

    @Override
    public boolean awaitType(String resourceFolder, Duration timeout) {
        return type(resourceFolder).isPresent();
    }

    @Override
    public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
        return Optional.ofNullable(objects.get(key(type.groupResource(), namespace, name))).map(ObjectNode::deepCopy);
    }

    @Override
    public synchronized void create(ResourceType type, ObjectNode item) {
        String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText() : null;
        String key = key(type.groupResource(), namespace, item.path("metadata").path("name").asText());
        if (refused.contains(key)) {
            throw new Rejected(422, key + " is invalid");
        }
        if (objects.putIfAbsent(key, item.deepCopy()) != null) {
            throw new Rejected(409, key + " already exists");
        }
        createdInOrder.add(key);
    }

    @Override
    public void update(ResourceType type, ObjectNode item, ObjectNode live) {
        String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText() : null;
        objects.put(key(type.groupResource(), namespace, item.path("metadata").path("name").asText()), item.deepCopy());
    }

    @Override
    public boolean storageClassExists(String name) {
        return storageClasses.contains(name);
    }
}
