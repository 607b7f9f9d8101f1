package io.lifeboat.restore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.Layout;
import io.lifeboat.backup.Backup;
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
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a restore may create, against archives crafted as whoever can write to the bucket would craft them: whether
 * an item is cluster-scoped is the target's to say, a namespace-only restore creates only the cluster-scoped objects
 * its namespaces need, and no name from the archive reaches a request path unless it is a valid Kubernetes name.
 */
class RestoreScopeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CRB = "clusterrolebindings.rbac.authorization.k8s.io";
    final Clock clock = Clock.systemUTC();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryClusterSession target = new InMemoryClusterSession();
    /** Entry path to content, in archive order. */
    final Map<String, String> archive = new LinkedHashMap<>();
    RestoreExecutor executor;
    int backupsMade;

    @BeforeEach
    void setUp() {
        target.serve("", "v1", "namespaces", "Namespace", false).serve("", "v1", "configmaps", "ConfigMap", true)
                .serve("", "v1", "secrets", "Secret", true)
                .serve("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true)
                .serve("", "v1", "persistentvolumes", "PersistentVolume", false)
                .serve("storage.k8s.io", "v1", "storageclasses", "StorageClass", false)
                .serve("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false)
                .serve("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false)
                .serve("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false)
                .definedBy("widgets.demo.lifeboat.io", "v1", "Widget", true)
                .definedBy("gadgets.demo.lifeboat.io", "v1", "Gadget", true)
                .definedBy("unused.demo.lifeboat.io", "v1", "Unused", true);
        clusters.create(new Cluster("p", "b", "kubeconfig-b", null, "https://b", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("p", "loc", Provider.MINIO, "bucket", "", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        executor = new RestoreExecutor(restores, backups, clusters, locations, (k, c) -> target, l -> store, clock,
                Duration.ofMillis(10));
        put("resources/namespaces/cluster/shop.json", object("v1", "Namespace", null, "shop"));
        put("resources/configmaps/namespaces/shop/settings.json", object("v1", "ConfigMap", "shop", "settings"));
    }

    static ObjectNode object(String apiVersion, String kind, String namespace, String name) {
        ObjectNode item = JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode metadata = item.putObject("metadata").put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        return item;
    }

    /** The ClusterRoleBinding an attacker wants: every service account of shop made cluster-admin. */
    static ObjectNode clusterAdminBinding(String namespace) {
        ObjectNode binding = object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", namespace, "evil");
        binding.putObject("roleRef").put("apiGroup", "rbac.authorization.k8s.io").put("kind", "ClusterRole")
                .put("name", "cluster-admin");
        binding.putArray("subjects").addObject().put("kind", "Group").put("name", "system:serviceaccounts:shop");
        return binding;
    }

    static ObjectNode crd(String plural, String scope) {
        ObjectNode crd = object("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, plural + ".demo.lifeboat.io");
        ObjectNode spec = crd.putObject("spec").put("group", "demo.lifeboat.io").put("scope", scope);
        spec.putObject("names").put("plural", plural).put("kind", plural.substring(0, 1).toUpperCase() + plural.substring(1));
        return crd;
    }

    void put(String path, ObjectNode item) {
        archive.put(path, item.toString());
    }

    /** Writes the archive as Velero lays it out, under a backup record that (as Velero's) holds no checksum. */
    Restore restore(List<String> namespaces, boolean includeClusterResources, String policy) {
        String backup = "crafted-" + ++backupsMade;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            ArchiveSpoolTest.entry(tar, "metadata/version", "1.1.0\n");
            for (Map.Entry<String, String> entry : archive.entrySet()) {
                ArchiveSpoolTest.entry(tar, entry.getKey(), entry.getValue());
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        store.objects().put(Layout.backupObject("", backup, Layout.BackupFile.TARBALL), out.toByteArray());
        backups.create(new Backup("p", backup, "a", "loc", List.of(), null, false, clock.instant(),
                clock.instant().plusSeconds(3600), Backup.Phase.Completed, new Backup.Progress(0, 0), clock.instant(),
                clock.instant(), out.size(), null, 0, 0, List.of(), List.of()));
        String name = "r-" + backupsMade;
        restores.create(Restore.requested("p", name, backup, "b", new Restore.Request(includeClusterResources, false,
                false, namespaces, Map.of(), Map.of(), ExistingResourcePolicy.valueOf(policy), Map.of(), List.of()), clock.instant()));
        return executor.run("p", name);
    }

    boolean createdAny(String prefix) {
        return target.objects().keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    /** The attack of issue 11: a cluster-admin binding filed under a namespace's folder, with that namespace. */
    @Test
    void aClusterRoleBindingArchivedUnderANamespaceIsAnErrorAndNeverCreated() {
        put("resources/" + CRB + "/namespaces/shop/evil.json", clusterAdminBinding("shop"));
        for (boolean includeClusterResources : new boolean[]{false, true}) {
            Restore done = restore(List.of("shop"), includeClusterResources, "none");
            assertEquals(Restore.Phase.PartiallyFailed, done.phase(), done.results().toString());
            assertEquals(1, done.errors());
            String results = done.results().toString();
            assertTrue(results.contains(CRB + " 'namespaces/shop/evil' is not restored: it is archived under a namespace, "
                    + "but the target cluster serves " + CRB + " as cluster-scoped"), results);
            assertFalse(createdAny(CRB), target.objects().keySet().toString());
            assertTrue(target.objects().containsKey("configmaps/shop/settings"), "the rest goes on");
        }
    }

    @Test
    void aClusterScopedItemWhoseMetadataNamesANamespaceIsAnErrorAndOneWithoutIsSkipped() {
        put("resources/" + CRB + "/cluster/evil.json", clusterAdminBinding("shop"));
        Restore done = restore(List.of("shop"), false, "none");
        assertEquals(1, done.errors(), done.results().toString());
        assertTrue(done.results().toString().contains("it is cluster-scoped on the target cluster, but its "
                + "metadata.namespace is 'shop'"), done.results().toString());

        put("resources/" + CRB + "/cluster/evil.json", clusterAdminBinding(null));
        Restore skipped = restore(List.of("shop"), false, "none");
        assertEquals(Restore.Phase.Completed, skipped.phase(), skipped.results().toString());
        assertFalse(createdAny(CRB));
        assertTrue(target.objects().containsKey("configmaps/shop/settings"));
    }

    @Test
    void aNamespacedItemArchivedAsClusterScopedOrInAnotherNamespaceIsAnError() {
        put("resources/secrets/cluster/token.json", object("v1", "Secret", null, "token"));
        put("resources/configmaps/namespaces/shop/moved.json", object("v1", "ConfigMap", "kube-system", "moved"));
        Restore done = restore(List.of(), true, "none");
        assertEquals(2, done.errors(), done.results().toString());
        String results = done.results().toString();
        assertTrue(results.contains("secrets 'cluster/token' is not restored: it is archived as cluster-scoped, but the "
                + "target cluster serves secrets in namespaces"), results);
        assertTrue(results.contains("configmaps 'namespaces/shop/moved' is not restored: its metadata.namespace "
                + "'kube-system' is not the namespace it is archived under"), results);
        assertFalse(createdAny("secrets/"));
        assertFalse(createdAny("configmaps/kube-system/"));
        assertFalse(createdAny("configmaps/shop/moved"));
    }

    /** Everything cluster-scoped a namespace-only restore could be tricked into, and the three kinds it may create. */
    @Test
    void aNamespaceOnlyRestoreCreatesOnlyTheClusterObjectsItsNamespacesNeed() {
        put("resources/namespaces/cluster/tools.json", object("v1", "Namespace", null, "tools"));
        for (String[] claim : new String[][]{{"shop", "data", "pv-shop"}, {"tools", "data", "pv-tools"}}) {
            ObjectNode pvc = object("v1", "PersistentVolumeClaim", claim[0], claim[1]);
            pvc.putObject("spec").put("volumeName", claim[2]);
            put("resources/persistentvolumeclaims/namespaces/" + claim[0] + "/" + claim[1] + ".json", pvc);
            ObjectNode pv = object("v1", "PersistentVolume", null, claim[2]);
            pv.putObject("spec").put("persistentVolumeReclaimPolicy", "Retain").putObject("claimRef")
                    .put("namespace", claim[0]).put("name", claim[1]);
            put("resources/persistentvolumes/cluster/" + claim[2] + ".json", pv);
        }
        ObjectNode loose = object("v1", "PersistentVolume", null, "pv-loose");
        loose.putObject("spec").put("persistentVolumeReclaimPolicy", "Retain").putObject("hostPath").put("path", "/");
        put("resources/persistentvolumes/cluster/pv-loose.json", loose);
        // a volume that names shop's claim as its own, but that claim is bound to pv-shop
        ObjectNode impostor = object("v1", "PersistentVolume", null, "pv-impostor");
        impostor.putObject("spec").put("persistentVolumeReclaimPolicy", "Retain").putObject("claimRef")
                .put("namespace", "shop").put("name", "data");
        put("resources/persistentvolumes/cluster/pv-impostor.json", impostor);
        put("resources/customresourcedefinitions.apiextensions.k8s.io/cluster/widgets.demo.lifeboat.io.json",
                crd("widgets", "Namespaced"));
        put("resources/customresourcedefinitions.apiextensions.k8s.io/cluster/gadgets.demo.lifeboat.io.json",
                crd("gadgets", "Namespaced"));
        put("resources/customresourcedefinitions.apiextensions.k8s.io/cluster/unused.demo.lifeboat.io.json",
                crd("unused", "Namespaced"));
        put("resources/widgets.demo.lifeboat.io/namespaces/shop/w1.json", object("demo.lifeboat.io/v1", "Widget", "shop", "w1"));
        put("resources/gadgets.demo.lifeboat.io/namespaces/tools/g1.json", object("demo.lifeboat.io/v1", "Gadget", "tools", "g1"));
        put("resources/storageclasses.storage.k8s.io/cluster/fast.json", object("storage.k8s.io/v1", "StorageClass", null, "fast"));
        put("resources/clusterroles.rbac.authorization.k8s.io/cluster/system:evil.json",
                object("rbac.authorization.k8s.io/v1", "ClusterRole", null, "system:evil"));

        Restore done = restore(List.of("shop"), false, "none");
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
        List<String> clusterScoped = target.objects().keySet().stream()
                .filter(k -> !k.startsWith("configmaps/") && !k.startsWith("persistentvolumeclaims/")
                        && !k.startsWith("widgets.") && !k.startsWith("gadgets."))
                .sorted().toList();
        assertEquals(List.of("customresourcedefinitions.apiextensions.k8s.io/widgets.demo.lifeboat.io", "namespaces/shop",
                "persistentvolumes/pv-shop"), clusterScoped);
        assertTrue(target.objects().containsKey("widgets.demo.lifeboat.io/shop/w1"));
        assertFalse(createdAny("gadgets."));
        assertEquals(new Restore.Progress(6, 6), done.progress(), "namespace, claim, config map, volume, CRD, widget");

        // with every namespace, still only what the namespaces need
        Restore all = restore(List.of(), false, "none");
        assertEquals(Restore.Phase.Completed, all.phase(), all.results().toString());
        assertTrue(target.objects().containsKey("customresourcedefinitions.apiextensions.k8s.io/gadgets.demo.lifeboat.io"));
        assertTrue(target.objects().containsKey("persistentvolumes/pv-tools"));
        for (String never : List.of("customresourcedefinitions.apiextensions.k8s.io/unused.demo.lifeboat.io",
                "persistentvolumes/pv-loose", "persistentvolumes/pv-impostor", "storageclasses.storage.k8s.io/fast",
                "clusterroles.rbac.authorization.k8s.io/system:evil")) {
            assertFalse(target.objects().containsKey(never), never);
        }

        // and with includeClusterResources, everything, RBAC names with colons included
        Restore everything = restore(List.of(), true, "none");
        assertEquals(Restore.Phase.Completed, everything.phase(), everything.results().toString());
        assertTrue(target.objects().containsKey("clusterroles.rbac.authorization.k8s.io/system:evil"));
        assertTrue(target.objects().containsKey("persistentvolumes/pv-loose"));
    }

    @Test
    void aCrdIsSkippedWhenItsCustomResourcesAreClusterScopedOrItsNameIsNotItsType() {
        put("resources/customresourcedefinitions.apiextensions.k8s.io/cluster/widgets.demo.lifeboat.io.json",
                crd("widgets", "Cluster"));
        put("resources/widgets.demo.lifeboat.io/cluster/w1.json", object("demo.lifeboat.io/v1", "Widget", null, "w1"));
        ObjectNode misnamed = crd("gadgets", "Namespaced");
        ((ObjectNode) misnamed.get("metadata")).put("name", "unused.demo.lifeboat.io");
        put("resources/customresourcedefinitions.apiextensions.k8s.io/cluster/unused.demo.lifeboat.io.json", misnamed);
        put("resources/gadgets.demo.lifeboat.io/namespaces/shop/g1.json", object("demo.lifeboat.io/v1", "Gadget", "shop", "g1"));
        restore(List.of("shop"), false, "none");
        assertFalse(createdAny("customresourcedefinitions."), target.objects().keySet().toString());
        assertFalse(createdAny("widgets."));
    }

    /** An existing CRD that differs is left as it is by a namespace-only restore, even with policy update. */
    @Test
    void aNamespaceOnlyRestoreNeverUpdatesAnExistingCrd() {
        put("resources/customresourcedefinitions.apiextensions.k8s.io/cluster/widgets.demo.lifeboat.io.json",
                crd("widgets", "Namespaced"));
        put("resources/widgets.demo.lifeboat.io/namespaces/shop/w1.json", object("demo.lifeboat.io/v1", "Widget", "shop", "w1"));
        ObjectNode live = crd("widgets", "Namespaced");
        ((ObjectNode) live.get("spec")).putObject("versions").put("live", "yes");
        target.put(RestoreOrder.CRDS, null, "widgets.demo.lifeboat.io", live);

        Restore done = restore(List.of("shop"), false, "update");
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
        assertEquals(0, done.counts().updated());
        assertEquals(1, done.warnings(), done.results().toString());
        assertTrue(done.results().toString().contains("widgets.demo.lifeboat.io already exists and differs from the backup; "
                + "kept as it is (a restore without includeClusterResources never changes"), done.results().toString());
        assertEquals(live, target.objects().get(RestoreOrder.CRDS + "/widgets.demo.lifeboat.io"));
        assertTrue(target.objects().containsKey("widgets.demo.lifeboat.io/shop/w1"));

        Restore full = restore(List.of(), true, "update");
        assertEquals(1, full.counts().updated(), "with includeClusterResources, the policy decides as for any object");
    }

    /** Names no request path may carry: each item is an error, and nothing is created or asked for under it. */
    @Test
    void hostileNamesAreErrorsOfTheirItemsBeforeAnyRequest() {
        Map<String, ObjectNode> hostile = new LinkedHashMap<>();
        hostile.put("resources/configmaps/namespaces/shop/x.json",
                object("v1", "ConfigMap", "shop", "../../../api/v1/namespaces/kube-system/secrets/x"));
        for (String name : List.of("a?b", "a#b", "a%2Fb", "..", "UPPER", "a b", "x".repeat(254), "caf\u00e9")) {
            hostile.put("resources/configmaps/namespaces/shop/" + name + ".json", object("v1", "ConfigMap", "shop", name));
        }
        hostile.put("resources/configmaps/namespaces/kube-system%2Fsecrets/x.json",
                object("v1", "ConfigMap", "kube-system%2Fsecrets", "x"));
        hostile.put("resources/configmaps/namespaces/Shop/x.json", object("v1", "ConfigMap", "Shop", "x"));
        hostile.put("resources/namespaces/cluster/sub.domain.json", object("v1", "Namespace", null, "sub.domain"));
        hostile.put("resources/" + CRB + "/cluster/a?b.json", object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, "a?b"));
        hostile.forEach(this::put);
        Restore done = restore(List.of(), true, "none");
        assertEquals(Restore.Phase.PartiallyFailed, done.phase());
        assertEquals(hostile.size(), done.errors(), done.results().toString());
        assertEquals(List.of("configmaps/shop/settings", "namespaces/shop"),
                target.objects().keySet().stream().sorted().toList());
        assertTrue(done.results().toString().contains("configmaps 'namespaces/shop/x' is not restored: its metadata.name "
                + "'../../../api/v1/namespaces/kube-system/secrets/x' is not the name of its file"), done.results().toString());
        assertTrue(done.results().toString().contains("configmaps 'namespaces/shop/caf\\u00e9' is not restored: its name is "
                + "not a valid Kubernetes name"), done.results().toString());
    }
}
