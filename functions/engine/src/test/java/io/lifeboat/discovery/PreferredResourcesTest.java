package io.lifeboat.discovery;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PreferredResourcesTest {
    private static ResourceType type(String version, String resource, String kind) {
        return new ResourceType("networking.istio.io", version, resource, kind, true, Set.of("list", "get", "create", "delete"));
    }

    private static Map<String, String> versions(List<ResourceType> chosen) {
        return chosen.stream().collect(Collectors.toMap(ResourceType::resource, ResourceType::version));
    }

    /** Istio's networking group: most kinds at v1, EnvoyFilter only at v1alpha3, ProxyConfig only at v1beta1. */
    @Test
    void aResourceIsTakenAtTheFirstVersionThatServesIt() {
        List<ResourceType> v1 = List.of(type("v1", "virtualservices", "VirtualService"), type("v1", "gateways", "Gateway"));
        List<ResourceType> v1beta1 = List.of(type("v1beta1", "virtualservices", "VirtualService"),
                type("v1beta1", "gateways", "Gateway"), type("v1beta1", "proxyconfigs", "ProxyConfig"));
        List<ResourceType> v1alpha3 = List.of(type("v1alpha3", "virtualservices", "VirtualService"),
                type("v1alpha3", "envoyfilters", "EnvoyFilter"));
        List<ResourceType> chosen = PreferredResources.choose("v1", List.of(v1, v1beta1, v1alpha3));
        assertEquals(Map.of("virtualservices", "v1", "gateways", "v1", "proxyconfigs", "v1beta1", "envoyfilters", "v1alpha3"),
                versions(chosen));
        assertEquals(4, chosen.size(), "each resource once");
    }

    /** client-go lets the preferred version win even when the server lists it after another. */
    @Test
    void thePreferredVersionWinsWhereverItIsListed() {
        List<ResourceType> v1beta1 = List.of(type("v1beta1", "widgets", "Widget"), type("v1beta1", "old", "Old"));
        List<ResourceType> v1 = List.of(type("v1", "widgets", "Widget"));
        assertEquals(Map.of("widgets", "v1", "old", "v1beta1"), versions(PreferredResources.choose("v1", List.of(v1beta1, v1))));
    }
}
