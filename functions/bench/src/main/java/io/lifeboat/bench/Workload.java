package io.lifeboat.bench;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The objects every benchmark uses: 20 namespaces, then N/2 ConfigMaps and N/2 Secrets of about 1 KiB each. */
final class Workload {
    static final int NAMESPACES = 20;

    private Workload() {
    }

    /** The 20 namespaces first, then the ConfigMaps and Secrets, the same for the same N (a fixed seed). */
    static List<HasMetadata> objects(int n) {
        List<HasMetadata> objects = new ArrayList<>();
        for (int i = 0; i < NAMESPACES; i++) {
            objects.add(new NamespaceBuilder().withNewMetadata().withName("ns-" + i).endMetadata().build());
        }
        Random random = new Random(42);
        for (int i = 0; i < n; i++) {
            String namespace = "ns-" + (i % NAMESPACES);
            byte[] payload = new byte[768];
            random.nextBytes(payload);
            String value = Base64.getEncoder().encodeToString(payload);
            objects.add(i % 2 == 0
                    ? new ConfigMapBuilder().withNewMetadata().withName("config-" + i).withNamespace(namespace)
                    .withLabels(Map.of("app", "bench", "tier", "t" + (i % 7))).endMetadata()
                    .withData(Map.of("settings.properties", value)).build()
                    : new SecretBuilder().withNewMetadata().withName("secret-" + i).withNamespace(namespace)
                    .withLabels(Map.of("app", "bench")).endMetadata().withType("Opaque")
                    .withData(Map.of("token", value)).build());
        }
        return objects;
    }

    /** Creates the namespaces, then the rest with {@code writers} requests at once; returns the seconds it took. */
    static double create(KubernetesClient client, List<HasMetadata> objects, int writers) throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<HasMetadata>> created = new ArrayList<>();
            for (HasMetadata object : objects) {
                if (object.getKind().equals("Namespace")) {
                    client.resource(object).create();
                } else {
                    created.add(pool.submit(() -> client.resource(object).create()));
                }
            }
            for (Future<HasMetadata> future : created) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
