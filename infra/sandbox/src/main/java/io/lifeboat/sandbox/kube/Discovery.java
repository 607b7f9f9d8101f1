package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersions;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.ServerAddressByClientCIDR;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The discovery documents ({@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/GROUP[/VERSION]}), made from
 * {@link BuiltInResources} and the CustomResourceDefinitions currently in the store, so that creating or deleting a
 * CRD shows at once. What is served is worked out again only when a CRD changed ({@code definitionChanges}), not on
 * every request.
 */
final class Discovery {
    private final Supplier<List<CustomResourceDefinition>> crds;
    private final LongSupplier definitionChanges;
    private volatile Cached cached;

    /** What was served when the definitions had changed {@code changes} times. */
    private record Cached(long changes, Served served) {
    }

    Discovery(Supplier<List<CustomResourceDefinition>> crds, LongSupplier definitionChanges) {
        this.crds = crds;
        this.definitionChanges = definitionChanges;
    }

    private Served current() {
        long changes = definitionChanges.getAsLong();
        Cached now = cached;
        if (now == null || now.changes() != changes) {
            now = new Cached(changes, Served.of(crds.get()));
            cached = now;
        }
        return now.served();
    }

    APIVersions coreVersions(String serverAddress) {
        return new APIVersionsBuilder()
                .withVersions("v1")
                .withServerAddressByClientCIDRs(new ServerAddressByClientCIDR("0.0.0.0/0", serverAddress))
                .build();
    }

    /** The resources of one group/version ("" is the core group), or empty when it is not served. */
    Optional<APIResourceList> resources(String group, String version) {
        APIResourceListBuilder list = new APIResourceListBuilder()
                .withGroupVersion(group.isEmpty() ? version : group + "/" + version);
        boolean found = false;
        for (ApiResourceType type : current().types) {
            if (type.group().equals(group) && type.version().equals(version)) {
                list.addToResources(type.toApiResource());
                found = true;
            }
        }
        return found ? Optional.of(list.build()) : Optional.empty();
    }

    APIGroupList groups() {
        Served served = current();
        List<APIGroup> groups = new ArrayList<>();
        for (String name : served.versionsByGroup.keySet()) {
            groups.add(served.group(name));
        }
        return new APIGroupListBuilder().withGroups(groups).build();
    }

    Optional<APIGroup> group(String name) {
        Served served = current();
        return served.versionsByGroup.containsKey(name) ? Optional.of(served.group(name)) : Optional.empty();
    }

    /** Every type served right now, built in or custom, subresources included. */
    List<ApiResourceType> served() {
        return current().types;
    }

    /** The type served at group/version/plural (a subresource with its slash: "deployments/status"). */
    Optional<ApiResourceType> find(String group, String version, String plural) {
        return Optional.ofNullable(current().byPath.get(group + "/" + version + "/" + plural));
    }

    /** Whether the type is a custom one whose definition declares the status subresource. */
    boolean customWithStatus(ApiResourceType type) {
        Served served = current();
        return served.custom.contains(type) && find(type.group(), type.version(), type.plural() + "/status").isPresent();
    }

    /** Everything served at one moment: built-in types first, then those of CRDs that do not clash with them. */
    private static final class Served {
        final List<ApiResourceType> types = new ArrayList<>();
        final Map<String, ApiResourceType> byPath = new HashMap<>();
        final Set<ApiResourceType> custom = new HashSet<>();
        final Map<String, Set<String>> versionsByGroup = new LinkedHashMap<>();

        static Served of(List<CustomResourceDefinition> crds) {
            Served served = new Served();
            Set<String> taken = new HashSet<>();
            for (ApiResourceType type : BuiltInResources.all()) {
                served.add(type, taken);
            }
            List<CustomResourceDefinition> sorted = new ArrayList<>(crds);
            sorted.sort(Comparator.comparing(crd -> crd.getMetadata().getName()));
            for (CustomResourceDefinition crd : sorted) {
                for (ApiResourceType type : typesOf(crd)) {
                    if (served.add(type, taken)) {
                        served.custom.add(type);
                    }
                }
            }
            return served;
        }

        private boolean add(ApiResourceType type, Set<String> taken) {
            if (!taken.add(type.groupVersion() + "/" + type.plural())) {
                return false;
            }
            types.add(type);
            byPath.put(type.group() + "/" + type.version() + "/" + type.plural(), type);
            if (!type.group().isEmpty()) {
                versionsByGroup.computeIfAbsent(type.group(), g -> new LinkedHashSet<>()).add(type.version());
            }
            return true;
        }

        /**
         * The group with its versions in Kubernetes' priority order, the first preferred, as kube-apiserver announces
         * a group, whichever CRD or built-in type brought each version.
         */
        APIGroup group(String name) {
            List<GroupVersionForDiscovery> versions = new ArrayList<>();
            versionsByGroup.get(name).stream().sorted(VersionPriority.HIGHEST_FIRST)
                    .forEach(version -> versions.add(new GroupVersionForDiscovery(name + "/" + version, version)));
            return new APIGroupBuilder()
                    .withName(name)
                    .withVersions(versions)
                    .withPreferredVersion(versions.get(0))
                    .build();
        }
    }

    static List<ApiResourceType> typesOf(CustomResourceDefinition crd) {
        List<ApiResourceType> types = new ArrayList<>();
        if (crd.getSpec() == null || crd.getSpec().getNames() == null || crd.getSpec().getVersions() == null) {
            return types;
        }
        String group = crd.getSpec().getGroup();
        CustomResourceDefinitionNames names = crd.getSpec().getNames();
        boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
        String singular = names.getSingular() != null ? names.getSingular() : names.getKind().toLowerCase();
        for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
            if (!Boolean.TRUE.equals(version.getServed())) {
                continue;
            }
            types.add(new ApiResourceType(group, version.getName(), names.getPlural(), singular, names.getKind(),
                    namespaced, BuiltInResources.ALL_VERBS, nonNull(names.getShortNames()),
                    nonNull(names.getCategories())));
            if (version.getSubresources() != null && version.getSubresources().getStatus() != null) {
                types.add(new ApiResourceType(group, version.getName(), names.getPlural() + "/status", "",
                        names.getKind(), namespaced, BuiltInResources.SUBRESOURCE_VERBS, List.of(), List.of()));
            }
            if (version.getSubresources() != null && version.getSubresources().getScale() != null) {
                types.add(new ApiResourceType(group, version.getName(), names.getPlural() + "/scale", "",
                        "Scale", namespaced, BuiltInResources.SUBRESOURCE_VERBS, List.of(), List.of()));
            }
        }
        return types;
    }


    private static List<String> nonNull(List<String> list) {
        return list == null ? List.of() : list;
    }
}
