package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;

import java.util.List;

/**
 * One resource (or subresource, when {@link #plural()} holds a slash) that the sandbox serves, as discovery
 * reports it. {@code group} is empty for the core group.
 */
public record ApiResourceType(String group, String version, String plural, String singular, String kind,
                              boolean namespaced, List<String> verbs, List<String> shortNames,
                              List<String> categories) {

    public ApiResourceType {
        verbs = List.copyOf(verbs);
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
    }

    /** "v1" for the core group, "apps/v1" otherwise. */
    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public boolean isSubresource() {
        return plural.contains("/");
    }

    APIResource toApiResource() {
        return new APIResourceBuilder()
                .withName(plural)
                .withSingularName(singular)
                .withNamespaced(namespaced)
                .withKind(kind)
                .withVerbs(verbs)
                .withShortNames(shortNames.isEmpty() ? null : shortNames)
                .withCategories(categories.isEmpty() ? null : categories)
                .build();
    }
}
