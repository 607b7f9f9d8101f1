package io.lifeboat.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.Layout;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.cluster.InMemoryClusterSession;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.InMemoryObjectStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dry runs of restores into an in-memory cluster that counts every request: they write nothing, and they judge as the
 * restore does (the same counts, warnings and errors as the restore that follows them).
 */
class DryRunTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final Clock clock = Clock.systemUTC();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryClusterSession source = new InMemoryClusterSession();
    final InMemoryClusterSession target = new InMemoryClusterSession();
    RestoreExecutor executor;

    @BeforeEach
    void setUp() {
        source.type("", "v1", "namespaces", "Namespace", false)
                .type("", "v1", "configmaps", "ConfigMap", true)
                .type("", "v1", "pods", "Pod", true)
                .type("apps", "v1", "deployments", "Deployment", true)
                .type("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false)
                .type("demo.lifeboat.io", "v1", "widgets", "Widget", true);
        source.add("namespaces", null, "shop");
        source.add("namespaces", null, "other");
        source.add("configmaps", "shop", "settings").putObject("data").put("color", "blue");
        source.add("configmaps", "other", "elsewhere");
        source.add("deployments.apps", "shop", "web").putObject("spec").put("replicas", 2);
        source.add("pods", "shop", "done").putObject("status").put("phase", "Succeeded");
        ObjectNode crd = source.add("customresourcedefinitions.apiextensions.k8s.io", null, "widgets.demo.lifeboat.io");
        crd.putObject("spec").put("group", "demo.lifeboat.io").put("scope", "Namespaced").putObject("names")
                .put("plural", "widgets");
        source.add("widgets.demo.lifeboat.io", "shop", "w1");

        target.serve("", "v1", "namespaces", "Namespace", false).serve("", "v1", "configmaps", "ConfigMap", true)
                .serve("", "v1", "pods", "Pod", true).serve("apps", "v1", "deployments", "Deployment", true)
                .serve("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false)
                .definedBy("widgets.demo.lifeboat.io", "v1", "Widget", true);

        clusters.create(new Cluster("p", "a", "kubeconfig-a", null, "https://a", ClusterStatus.unknown(), clock.instant()));
        clusters.create(new Cluster("p", "b", "kubeconfig-b", null, "https://b", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("p", "loc", Provider.MINIO, "bucket", "", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        backups.create(Backup.requested("p", "nightly", "a", "loc", List.of(), null, false, clock.instant(),
                clock.instant().plusSeconds(3600)));
        Backup done = new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> store, clock,
                new BackupExecutor.Settings(100, 2, 1, Duration.ofSeconds(1))).run("p", "nightly");
        assertEquals(Backup.Phase.Completed, done.phase());
        executor = new RestoreExecutor(restores, backups, clusters, locations, (k, c) -> target, l -> store, clock,
                Duration.ofSeconds(1));
    }

    Restore restore(String name, boolean dryRun, String policy, List<String> namespaces) {
        restores.create(Restore.requested("p", name, "nightly", "b", new Restore.Request(namespaces.isEmpty(), false,
                false, namespaces, Map.of(), Map.of(), ExistingResourcePolicy.valueOf(policy), Map.of(), List.of(),
                dryRun, null), clock.instant()));
        return executor.run("p", name);
    }

    /** The plan as written into the location, each item keyed by "resource [namespace/]name". */
    Map<String, JsonNode> plan(String restore) throws Exception {
        byte[] gz = store.objects().get(Layout.restoreObject("", restore, Layout.RestoreFile.DRY_RUN_PLAN));
        JsonNode plan = JSON.readTree(new GZIPInputStream(new ByteArrayInputStream(gz)));
        assertEquals(restore, plan.path("restore").asText());
        Map<String, JsonNode> items = new HashMap<>();
        for (JsonNode item : plan.path("items")) {
            items.put(item.path("resource").asText() + " " + (item.has("namespace") ? item.path("namespace").asText() + "/" : "")
                    + item.path("name").asText(), item);
        }
        items.put("summary", plan.path("summary"));
        return items;
    }

    Map<String, ObjectNode> snapshotOfTarget() {
        Map<String, ObjectNode> copy = new HashMap<>();
        target.objects().forEach((key, object) -> copy.put(key, object.deepCopy()));
        return copy;
    }

    @Test
    void aDryRunIntoAnEmptyClusterPlansToCreateEverythingAndSendsNoWrite() throws Exception {
        Restore dry = restore("dry", true, "none", List.of());
        assertEquals(Restore.Phase.Completed, dry.phase(), dry.results().toString());
        assertEquals(0, target.createCalls(), "no create was sent");
        assertEquals(0, target.updateCalls(), "no update was sent");
        assertTrue(target.objects().isEmpty());
        assertEquals(new Restore.PlanCounts(7, 0, 0, 0, 0, 1), dry.plan());
        assertEquals(new Restore.Counts(7, 0, 0), dry.counts());
        assertEquals(new Restore.Progress(7, 7), dry.progress());

        Map<String, JsonNode> plan = plan("dry");
        assertEquals("create", plan.get("configmaps shop/settings").path("action").asText());
        assertEquals("excluded", plan.get("pods shop/done").path("action").asText());
        assertEquals("the pod has succeeded", plan.get("pods shop/done").path("reason").asText());
        JsonNode widget = plan.get("widgets.demo.lifeboat.io shop/w1");
        assertEquals("create", widget.path("action").asText(), "served once the restore has created its CRD");
        assertEquals(7, plan.get("summary").path("create").asLong());
        assertTrue(store.objects().containsKey(Layout.restoreObject("", "dry", Layout.RestoreFile.RESULTS)));
        assertTrue(store.objects().containsKey(Layout.restoreObject("", "dry", Layout.RestoreFile.LOGS)));
        assertFalse(store.objects().containsKey(Layout.restoreObject("", "dry", Layout.RestoreFile.RESOURCE_LIST)),
                "nothing was restored, so there is no list of it");
    }

    /**
     * Over objects that exist: identical ones skipped, a changed one a conflict (policy none, a warning) or an update
     * (policy update), each with its patch; and the restore that follows counts and warns exactly as its dry run said.
     */
    @Test
    void aDryRunOverExistingObjectsJudgesExactlyAsTheRestoreThatFollowsIt() throws Exception {
        assertEquals(Restore.Phase.Completed, restore("first", false, "none", List.of()).phase());
        ((ObjectNode) target.objects().get("configmaps/shop/settings").get("data")).put("color", "red").put("extra", "1");
        ((ObjectNode) target.objects().get("deployments.apps/shop/web").get("metadata")).put("resourceVersion", "99");
        int creates = target.createCalls();
        int updates = target.updateCalls();
        Map<String, ObjectNode> before = snapshotOfTarget();

        for (String policy : List.of("none", "update")) {
            Restore dry = restore("dry-" + policy, true, policy, List.of());
            assertEquals(creates, target.createCalls(), policy + ": no create was sent");
            assertEquals(updates, target.updateCalls(), policy + ": no update was sent");
            assertEquals(before, snapshotOfTarget(), policy + ": nothing on the target changed");
            Map<String, JsonNode> plan = plan("dry-" + policy);
            JsonNode settings = plan.get("configmaps shop/settings");
            assertEquals(policy.equals("none") ? "conflict" : "update", settings.path("action").asText());
            assertEquals(JSON.readTree("""
                    [{"op":"replace","path":"/data/color","value":"blue"},{"op":"remove","path":"/data/extra"}]"""),
                    settings.path("patch"));
            assertEquals("identical", plan.get("deployments.apps shop/web").path("action").asText(),
                    "server-owned fields are not differences");
            assertEquals("identical", plan.get("namespaces shop").path("action").asText());
            Restore real = restore("real-" + policy, false, policy, List.of());
            assertEquals(real.counts(), dry.counts(), policy + ": " + dry.plan());
            assertEquals(real.warnings(), dry.warnings(), policy);
            assertEquals(real.errors(), dry.errors(), policy);
            assertEquals(policy.equals("none") ? 1 : 0, dry.warnings(), policy);
            assertEquals(new Restore.PlanCounts(0, 6, policy.equals("update") ? 1 : 0, policy.equals("none") ? 1 : 0, 0,
                    1), dry.plan());
            creates = target.createCalls();
            updates = target.updateCalls();
            before = snapshotOfTarget();
        }
    }

    @Test
    void whatTheOptionsLeaveOutAndWhatTheTargetCannotTakeAreInThePlanWithWhy() throws Exception {
        Restore dry = restore("only-shop", true, "none", List.of("shop"));
        Map<String, JsonNode> plan = plan("only-shop");
        assertEquals("excluded", plan.get("configmaps other/elsewhere").path("action").asText());
        assertEquals("namespace other is not included", plan.get("configmaps other/elsewhere").path("reason").asText());
        assertEquals("create", plan.get("customresourcedefinitions.apiextensions.k8s.io widgets.demo.lifeboat.io")
                .path("action").asText(), "the CRD its custom resources need");

        target.objects().clear();
        InMemoryClusterSession without = new InMemoryClusterSession();
        without.serve("", "v1", "namespaces", "Namespace", false).serve("", "v1", "configmaps", "ConfigMap", true)
                .serve("", "v1", "pods", "Pod", true)
                .serve("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false);
        executor = new RestoreExecutor(restores, backups, clusters, locations, (k, c) -> without, l -> store, clock,
                Duration.ofSeconds(1));
        Restore refused = restore("no-deployments", true, "none", List.of());
        assertEquals(Restore.Phase.PartiallyFailed, refused.phase(), "as the restore would end");
        assertEquals("refused", plan("no-deployments").get("deployments.apps shop/web").path("action").asText());
        assertTrue(refused.results().toString().contains("does not serve deployments.apps"), refused.results().toString());
        assertEquals(0, without.createCalls() + without.updateCalls());
        assertEquals(1, refused.plan().refused());
    }
}
