package io.lifeboat.kube;

import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.cluster.ClusterSession.StorageClass;
import io.lifeboat.sandbox.kube.SandboxCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fabric8 adapter lists a cluster's storage classes, with provisioner and default flag, from a sandbox. */
class KubeStorageClassesTest {
    private static SandboxCluster sandbox;

    @BeforeAll
    static void start() {
        sandbox = SandboxCluster.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static KubeClusterSession session(String kubeconfig) {
        return new KubeClusterSession(KubeClients.defaults().connect(kubeconfig, null), 5_000);
    }

    @Test
    void everyClassInNameOrderWithTheDefaultMarked() {
        try (KubeClusterSession session = session(sandbox.kubeconfigYaml())) {
            assertEquals(List.of(), session.storageClasses());
        }
        sandbox.client().storage().v1().storageClasses().resource(new StorageClassBuilder()
                .withNewMetadata().withName("standard")
                .withAnnotations(Map.of("storageclass.kubernetes.io/is-default-class", "true")).endMetadata()
                .withProvisioner("ebs.csi.aws.com").build()).create();
        sandbox.client().storage().v1().storageClasses().resource(new StorageClassBuilder()
                .withNewMetadata().withName("fast").endMetadata().withProvisioner("pd.csi.storage.gke.io").build()).create();
        try (KubeClusterSession session = session(sandbox.kubeconfigYaml())) {
            assertEquals(List.of(new StorageClass("fast", "pd.csi.storage.gke.io", false),
                    new StorageClass("standard", "ebs.csi.aws.com", true)), session.storageClasses());
        }
    }

    @Test
    void anUnreachableServerIsRefusedWithTheReason() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (KubeClusterSession session = session(sandbox.kubeconfigYaml()
                .replace(sandbox.url(), "https://127.0.0.1:" + closed))) {
            ClusterSession.Rejected refused = assertThrows(ClusterSession.Rejected.class, session::storageClasses);
            assertTrue(refused.getMessage().startsWith("storage classes could not be read"), refused.getMessage());
        }
    }
}
