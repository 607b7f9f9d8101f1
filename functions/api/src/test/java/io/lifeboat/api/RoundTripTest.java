package io.lifeboat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.sandbox.kube.Kubectl;
import io.lifeboat.sandbox.kube.SampleApp;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The round trip that cannot be fooled: real-world manifests are loaded into sandbox A with the real kubectl, backed up
 * and restored into an empty sandbox B through the API, and then every object of every listable type is listed on
 * both with kubectl and compared, object by object. Nothing may be missing from B, nothing may be there that was not
 * in A (or in B before), and every object must be equal after removing what API servers own. The only other
 * differences allowed are Velero's documented ones, each applied below by name:
 * <ul>
 *     <li>a Service gets a new cluster IP (node ports are kept: the restore asks to preserve them);</li>
 *     <li>a PersistentVolume with reclaim policy Delete and no snapshot is provisioned anew, not restored, so it is
 *     absent from B and its claim loses {@code volumeName};</li>
 *     <li>binding bookkeeping is reset: the pv.kubernetes.io binding annotations, and a claimRef's uid and
 *     resourceVersion;</li>
 *     <li>Pods and Jobs that have finished are not restored.</li>
 * </ul>
 */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class RoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "/v1/projects/round-trip";
    private static final List<String> BINDING_ANNOTATIONS = List.of("pv.kubernetes.io/bind-completed",
            "pv.kubernetes.io/bound-by-controller");
    private static Path work;
    private static boolean located;

    @BeforeAll
    static void requireKubectl() throws Exception {
        Kubectl.requireInstalled();
        work = Files.createTempDirectory("lifeboat-round-trip");
    }

    @BeforeEach
    void location() {
        if (located) {
            return;
        }
        located = true;
        ApiFixtures.addLocalLocation("round-trip", "store", "round-trip");
    }

    private static String manifest(String file, String yaml) {
        try {
            Path path = work.resolve(file);
            Files.writeString(path, yaml);
            return path.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A namespace manifest: {@code kubectl create namespace} sends protobuf, which the sandbox does not speak, while
     * {@code create -f} sends JSON.
     */
    private static String namespace(String name) {
        try {
            Path file = work.resolve("namespace-" + name + ".yaml");
            Files.writeString(file, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n");
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String fixture(String name) {
        return Path.of(System.getProperty("lifeboat.fixtures"), name).toString();
    }

    @Test
    void onlineBoutique() throws Exception {
        Outcome outcome = roundTrip("boutique", (kubectl, cluster) -> {
            kubectl.run("create", "-f", namespace("shop")).assertSuccess();
            kubectl.run("-n", "shop", "create", "--validate=false", "-f", fixture("online-boutique.yaml")).assertSuccess();
        });
        assertTrue(outcome.kinds().containsAll(List.of("apps/Deployment", "/Service", "/ServiceAccount")), outcome.kinds().toString());
        assertTrue(outcome.compared() >= 35, outcome.toString());
    }

    /** Istio's CRDs serve several versions; EnvoyFilter only at v1alpha3, in a group that prefers v1. */
    @Test
    void istioCustomResourcesAtEveryVersion() throws Exception {
        Outcome outcome = roundTrip("istio", (kubectl, cluster) -> {
            kubectl.run("create", "--validate=false", "-f", fixture("istio/crd-all.gen.yaml")).assertSuccess();
            kubectl.run("create", "-f", namespace("istio-system")).assertSuccess();
            kubectl.run("create", "--validate=false", "-f", fixture("istio/bookinfo-networking.yaml")).assertSuccess();
        });
        for (String kind : List.of("networking.istio.io/EnvoyFilter", "networking.istio.io/VirtualService",
                "networking.istio.io/DestinationRule", "networking.istio.io/Gateway", "telemetry.istio.io/Telemetry",
                "apiextensions.k8s.io/CustomResourceDefinition")) {
            assertTrue(outcome.kinds().contains(kind), kind + " in " + outcome.kinds());
        }
        assertEquals(2, outcome.perType().get("networking.istio.io/v1alpha3/EnvoyFilter"), outcome.toString());
    }

    @Test
    void sampleApplication() throws Exception {
        Outcome outcome = roundTrip("sample", (kubectl, cluster) -> {
            SampleApp.install(cluster.client());
            kubectl.run("create", "-f", manifest("retained.yaml", RETAINED_VOLUME)).assertSuccess();
        });
        assertTrue(outcome.kinds().contains("demo.lifeboat.io/Widget"), outcome.kinds().toString());
        assertTrue(outcome.reprovisioned() >= 1, "the sample's PersistentVolume has reclaim policy Delete: " + outcome);
        assertEquals(1, outcome.retainedVolumes(), "the Retain volume is restored as it was, its claim bound to it");
    }

    /** A statically provisioned volume with reclaim policy Retain, and the claim bound to it. */
    private static final String RETAINED_VOLUME = """
            apiVersion: v1
            kind: PersistentVolume
            metadata:
              name: retained-disk
              annotations: {pv.kubernetes.io/bound-by-controller: "yes"}
            spec:
              capacity: {storage: 5Gi}
              accessModes: [ReadWriteOnce]
              persistentVolumeReclaimPolicy: Retain
              storageClassName: ""
              csi: {driver: ebs.csi.aws.com, volumeHandle: vol-0retained}
              claimRef: {apiVersion: v1, kind: PersistentVolumeClaim, namespace: demo, name: archive, uid: 0d6c5f1e-0000-4000-8000-000000000001, resourceVersion: "12"}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: archive
              namespace: demo
              annotations: {pv.kubernetes.io/bind-completed: "yes"}
            spec:
              accessModes: [ReadWriteOnce]
              storageClassName: ""
              resources: {requests: {storage: 5Gi}}
              volumeName: retained-disk
            """;

    /**
     * Objects compared, per kind; volumes allowed to be absent because they are provisioned anew; restored Retain
     * volumes whose claim still names them; items per type.
     */
    record Outcome(int compared, List<String> kinds, int reprovisioned, int retainedVolumes, Map<String, Long> perType) {
    }

    private Outcome roundTrip(String name, BiConsumer<Kubectl, SandboxCluster> load) throws Exception {
        try (SandboxCluster a = SandboxCluster.builder().name(name + "-a").start();
             SandboxCluster b = SandboxCluster.builder().name(name + "-b").start()) {
            Kubectl onA = new Kubectl(a.kubeconfigFile(work.resolve(name + "-a.yaml")), Files.createDirectories(work.resolve(name + "-a")));
            Kubectl onB = new Kubectl(b.kubeconfigFile(work.resolve(name + "-b.yaml")), Files.createDirectories(work.resolve(name + "-b")));
            load.accept(onA, a);
            for (SandboxCluster cluster : List.of(a, b)) {
                ApiFixtures.addCluster("round-trip", cluster.name(), cluster.kubeconfigYaml());
            }
            ClusterContents source = ClusterContents.of(onA);
            ClusterContents before = ClusterContents.of(onB);

            given().contentType(ContentType.JSON)
                    .body("{\"name\":\"%s\",\"cluster\":\"%s\",\"location\":\"store\"}".formatted(name, a.name()))
                    .post(PROJECT + "/backups").then().statusCode(202);
            ApiRecord backup = ApiRecord.awaitPhase(PROJECT + "/backups/" + name);
            assertEquals("Completed", backup.phase(), backup.toString());
            assertEquals(0, ((Number) backup.status("errors")).intValue(), backup.toString());
            Map<String, Long> perType = backedUpPerType(backup);
            assertEveryTypeAccountedFor(source, perType, backup);

            given().contentType(ContentType.JSON)
                    .body("{\"name\":\"%s\",\"backup\":\"%s\",\"targetCluster\":\"%s\",\"preserveNodePorts\":true}"
                            .formatted(name, name, b.name()))
                    .post(PROJECT + "/restores").then().statusCode(202);
            ApiRecord restore = ApiRecord.awaitPhase(PROJECT + "/restores/" + name);
            assertEquals("Completed", restore.phase(), restore.toString());

            ClusterContents restored = ClusterContents.of(onB);
            Outcome outcome = compare(name, source, before, restored, perType);
            System.out.println("round trip " + name + ": " + outcome.compared() + " objects of " + outcome.kinds().size()
                    + " kinds compared with kubectl, " + outcome.reprovisioned() + " volumes provisioned anew; "
                    + source.objects().size() + " objects in A, " + restored.objects().size() + " in B");
            return outcome;
        }
    }

    /** The backup's count per type: {@code apiVersion/Kind} to items. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> backedUpPerType(ApiRecord backup) {
        Map<String, Long> perType = new TreeMap<>();
        for (Map<String, Object> type : (List<Map<String, Object>>) backup.status("types")) {
            if (type.get("kind") != null) {
                perType.put(type.get("apiVersion") + "/" + type.get("kind"), ((Number) type.get("items")).longValue());
            }
            assertFalse(type.containsKey("error"), type.toString());
        }
        return perType;
    }

    /** Every kind kubectl lists in A is in the backup's type counts, with exactly as many items. */
    private static void assertEveryTypeAccountedFor(ClusterContents source, Map<String, Long> perType, ApiRecord backup) {
        Map<String, Long> listed = new TreeMap<>();
        for (ObjectNode object : source.objects().values()) {
            listed.merge(object.path("apiVersion").asText() + "/" + object.path("kind").asText(), 1L, Long::sum);
        }
        listed.forEach((type, count) -> assertEquals(count, perType.get(type),
                type + ": kubectl lists " + count + " in A; the backup says " + perType.get(type) + "\n" + backup.status("types")));
    }

    private static Outcome compare(String restoreName, ClusterContents source, ClusterContents before,
                                   ClusterContents restored, Map<String, Long> perType) {
        List<String> problems = new ArrayList<>();
        java.util.Set<String> reprovisionedVolumes = new java.util.HashSet<>();
        for (ObjectNode object : source.objects().values()) {
            if (object.path("kind").asText().equals("PersistentVolume")
                    && "Delete".equals(object.path("spec").path("persistentVolumeReclaimPolicy").asText())) {
                reprovisionedVolumes.add(object.path("metadata").path("name").asText());
            }
        }
        int compared = 0;
        for (Map.Entry<String, ObjectNode> entry : source.objects().entrySet()) {
            String key = entry.getKey();
            ObjectNode original = entry.getValue();
            ObjectNode copy = restored.objects().get(key);
            String kind = original.path("kind").asText();
            boolean finished = (kind.equals("Pod") && List.of("Succeeded", "Failed").contains(original.path("status").path("phase").asText()))
                    || (kind.equals("Job") && original.path("status").hasNonNull("completionTime"));
            boolean reprovisioned = kind.equals("PersistentVolume")
                    && reprovisionedVolumes.contains(original.path("metadata").path("name").asText());
            if (finished || reprovisioned) {
                if (copy != null && !before.objects().containsKey(key)) {
                    problems.add(key + " should not have been restored (" + (finished ? "finished" : "provisioned anew") + ")");
                }
                continue;
            }
            if (copy == null) {
                problems.add(key + " is missing from B");
                continue;
            }
            JsonNode want = withExceptions(ClusterContents.normalised(original), reprovisionedVolumes);
            JsonNode got = withExceptions(ClusterContents.normalised(copy), reprovisionedVolumes);
            if (!want.equals(got)) {
                problems.add(key + " differs:\n  A: " + want + "\n  B: " + got);
            }
            if (!before.objects().containsKey(key)
                    && !restoreName.equals(copy.path("metadata").path("labels").path("velero.io/restore-name").asText())) {
                problems.add(key + " lacks the restore's label");
            }
            compared++;
        }
        for (String key : restored.missingFrom(source)) {
            if (!before.objects().containsKey(key)) {
                problems.add(key + " is in B but was not in A");
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " differences:\n" + String.join("\n", problems));
        int retained = 0;
        for (ObjectNode copy : restored.objects().values()) {
            if (copy.path("kind").asText().equals("PersistentVolumeClaim")
                    && restored.objects().containsKey("/PersistentVolume " + copy.path("spec").path("volumeName").asText())) {
                retained++;
            }
        }
        return new Outcome(compared, new ArrayList<>(source.kinds()), reprovisionedVolumes.size(), retained, perType);
    }

    /** Velero's documented differences, applied to both sides. */
    private static JsonNode withExceptions(ObjectNode node, java.util.Set<String> reprovisionedVolumes) {
        String kind = node.path("kind").asText();
        if (node.get("metadata").get("annotations") instanceof ObjectNode annotations
                && (kind.equals("PersistentVolume") || kind.equals("PersistentVolumeClaim"))) {
            BINDING_ANNOTATIONS.forEach(annotations::remove);
            if (annotations.isEmpty()) {
                ((ObjectNode) node.get("metadata")).remove("annotations");
            }
        }
        if (!(node.get("spec") instanceof ObjectNode spec)) {
            return node;
        }
        switch (kind) {
            case "Service" -> {
                if (!"None".equals(spec.path("clusterIP").asText())) {
                    spec.remove("clusterIP");
                    spec.remove("clusterIPs");
                }
            }
            case "PersistentVolumeClaim" -> {
                if (reprovisionedVolumes.contains(spec.path("volumeName").asText())) {
                    spec.remove("volumeName");
                }
            }
            case "PersistentVolume" -> {
                if (spec.get("claimRef") instanceof ObjectNode claimRef) {
                    claimRef.remove("uid");
                    claimRef.remove("resourceVersion");
                }
            }
            default -> {
            }
        }
        return node;
    }
}
