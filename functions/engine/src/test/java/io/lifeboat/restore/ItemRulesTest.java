package io.lifeboat.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.Backup;
import io.lifeboat.snapshot.SnapshotNames;
import io.lifeboat.cluster.VolumeSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemRulesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static RestoreOptions options(boolean clusterResources, boolean preserveNodePorts, boolean restorePVs) {
        return new RestoreOptions("nightly", "r1", clusterResources, preserveNodePorts, restorePVs, List.of(),
                Map.of("shop", "shop-copy"), Map.of("gp2", "standard"), Map.of(), List.of());
    }

    ItemRules rules = new ItemRules(options(true, false, false));

    /**
     * Decides an item placed as a well-formed archive places it: under its namespace's folder when it has one, or under
     * cluster/, its type served with the same scope.
     */
    static ItemRules.Decision decide(ItemRules rules, String groupResource, ObjectNode item) {
        String namespace = item.path("metadata").path("namespace").asText(null);
        return rules.decide(groupResource, namespace != null,
                new ArchiveSpool.Item(namespace, item.path("metadata").path("name").asText(), item));
    }

    @Test
    void serverOwnedFieldsAndStatusGoAndLabelsNameTheBackupAndRestore() {
        ObjectNode cm = json("""
                {'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cfg','namespace':'shop','uid':'u1',
                 'resourceVersion':'9','generation':2,'creationTimestamp':'2026-01-01T00:00:00Z','selfLink':'/x',
                 'managedFields':[{}],'ownerReferences':[{'name':'o'}],'labels':{'app':'web'}},
                 'data':{'k':'v'},'status':{'x':1}}""");
        ItemRules.Decision decision = decide(rules, "configmaps", cm);
        JsonNode item = decision.item();
        assertEquals(json("""
                {'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cfg','namespace':'shop-copy',
                 'labels':{'app':'web','velero.io/backup-name':'nightly','velero.io/restore-name':'r1'}},
                 'data':{'k':'v'}}"""), item);
        assertEquals("u1", cm.path("metadata").path("uid").asText(), "the archived item is left as it was");
    }

    @Test
    void servicesLoseTheirClusterIpAndNodePortsUnlessKept() {
        String text = """
                {'kind':'Service','metadata':{'name':'web','namespace':'shop'},'spec':{'type':'NodePort',
                 'clusterIP':'10.0.0.5','clusterIPs':['10.0.0.5'],'ports':[{'port':80,'nodePort':30080}]}}""";
        JsonNode cleared = decide(rules, "services", json(text)).item().path("spec");
        assertFalse(cleared.has("clusterIP"));
        assertFalse(cleared.has("clusterIPs"));
        assertFalse(cleared.path("ports").get(0).has("nodePort"));
        JsonNode kept = decide(new ItemRules(options(true, true, false)), "services", json(text)).item().path("spec");
        assertEquals(30080, kept.path("ports").get(0).path("nodePort").asInt());
        JsonNode headless = decide(rules, "services", json(text.replace("10.0.0.5", "None"))).item().path("spec");
        assertEquals("None", headless.path("clusterIP").asText());
    }

    static final String PV = """
            {'kind':'PersistentVolume','metadata':{'name':'pv-1','annotations':{'pv.kubernetes.io/bound-by-controller':'yes',
             'pv.kubernetes.io/bind-completed':'yes','keep':'me'}},
             'spec':{'storageClassName':'gp2','persistentVolumeReclaimPolicy':'POLICY',
                     'claimRef':{'kind':'PersistentVolumeClaim','namespace':'shop','name':'data','uid':'u','resourceVersion':'3'}}}""";
    static final String PVC = """
            {'kind':'PersistentVolumeClaim','metadata':{'name':'data','namespace':'shop',
             'annotations':{'pv.kubernetes.io/bind-completed':'yes','pv.kubernetes.io/bound-by-controller':'yes','keep':'me'}},
             'spec':{'storageClassName':'gp2','volumeName':'pv-1'}}""";
    static final VolumeSnapshot SNAPSHOT = new VolumeSnapshot("shop", "data", "pv-1", "ebs.csi.aws.com",
            "lifeboat-nightly.shop.data", "snap-1", "1Gi", null);

    /** The rules of a restore whose archive holds the volume (as the executor builds them), and its plan. */
    static ItemRules withVolume(RestoreOptions options, String pv, VolumeSnapshot... snapshots) {
        VolumePlan plan = new VolumePlan(options, List.of(snapshots));
        plan.add(json(pv));
        return new ItemRules(options, plan);
    }

    @Test
    void aVolumeWithoutSnapshotWhoseReclaimPolicyIsDeleteIsProvisionedAnewAndItsClaimIsReset() {
        for (boolean restorePVs : new boolean[]{false, true}) {
            String pv = PV.replace("POLICY", "Delete");
            ItemRules rules = withVolume(options(true, false, restorePVs), pv);
            ItemRules.Decision volume = decide(rules, "persistentvolumes", json(pv));
            assertFalse(volume.applies());
            assertTrue(volume.skipped().contains("reclaim policy is Delete"), volume.skipped());
            assertTrue(volume.note().startsWith("persistentvolume pv-1 not restored"), volume.note());

            ItemRules.Decision claim = decide(rules, "persistentvolumeclaims", json(PVC));
            JsonNode spec = claim.item().path("spec");
            assertFalse(spec.has("volumeName"), "reset for dynamic provisioning");
            assertFalse(spec.has("dataSource"));
            assertEquals("standard", spec.path("storageClassName").asText());
            assertEquals(json("{'keep':'me'}"), claim.item().path("metadata").path("annotations"));
            assertTrue(claim.note().contains("claim shop/data is reset for dynamic provisioning"), claim.note());
        }
    }

    @Test
    void aVolumeWithoutSnapshotWhoseReclaimPolicyIsRetainIsRestoredAsItWasAndItsClaimKeepsIt() {
        for (String policy : List.of("Retain", "Recycle")) {
            String pv = PV.replace("POLICY", policy);
            ItemRules rules = withVolume(options(true, false, false), pv);
            ItemRules.Decision volume = decide(rules, "persistentvolumes", json(pv));
            assertTrue(volume.applies(), policy);
            JsonNode spec = volume.item().path("spec");
            assertEquals(json("{'kind':'PersistentVolumeClaim','namespace':'shop-copy','name':'data'}"), spec.path("claimRef"),
                    "claimRef without uid and resourceVersion, in the mapped namespace");
            assertEquals(policy, spec.path("persistentVolumeReclaimPolicy").asText());
            assertEquals("standard", spec.path("storageClassName").asText());
            assertEquals(json("{'keep':'me'}"), volume.item().path("metadata").path("annotations"), "binding annotations dropped");
            assertTrue(volume.note().contains("restored as it was"), volume.note());

            ItemRules.Decision claim = decide(rules, "persistentvolumeclaims", json(PVC));
            assertEquals("pv-1", claim.item().path("spec").path("volumeName").asText(), "binds again to the same disk");
            assertEquals(json("{'keep':'me'}"), claim.item().path("metadata").path("annotations"));
            assertTrue(claim.note().contains("keeps volumeName pv-1"), claim.note());
        }
        // a volume without a reclaim policy is not Delete: restored, as Velero does
        String bare = PV.replace(",'persistentVolumeReclaimPolicy':'POLICY'", "");
        assertTrue(decide(withVolume(options(true, false, false), bare), "persistentvolumes", json(bare)).applies());
    }

    @Test
    void aSnapshottedVolumeIsProvisionedAnewAndItsClaimGetsTheSnapshotAsDataSourceWithRestorePVs() {
        String pv = PV.replace("POLICY", "Retain"); // a snapshot wins over the reclaim policy
        ItemRules rules = withVolume(options(true, false, true), pv, SNAPSHOT);
        ItemRules.Decision volume = decide(rules, "persistentvolumes", json(pv));
        assertFalse(volume.applies());
        assertTrue(volume.note().contains("provisioned anew from its snapshot"), volume.note());
        ItemRules.Decision claim = decide(rules, "persistentvolumeclaims", json(PVC));
        JsonNode spec = claim.item().path("spec");
        assertFalse(spec.has("volumeName"));
        String name = SnapshotNames.of("r1", "shop-copy", "data");
        assertEquals(json("{'apiGroup':'snapshot.storage.k8s.io','kind':'VolumeSnapshot','name':'" + name + "'}"),
                spec.path("dataSource"));
        assertTrue(claim.note().contains("VolumeSnapshot " + name), claim.note());

        // without restorePVs the snapshot is not used: the volume is still provisioned anew, empty
        ItemRules without = withVolume(options(true, false, false), pv, SNAPSHOT);
        assertFalse(decide(without, "persistentvolumes", json(pv)).applies());
        JsonNode empty = decide(without, "persistentvolumeclaims", json(PVC.replace("'volumeName':'pv-1'",
                "'volumeName':'pv-1','dataSource':{'kind':'VolumeSnapshot','name':'old'}"))).item().path("spec");
        assertFalse(empty.has("volumeName"));
        assertFalse(empty.has("dataSource"));

        // a snapshot that failed is no snapshot: the reclaim policy decides
        VolumeSnapshot failed = new VolumeSnapshot("shop", "data", "pv-1", null, null, null, null, "no driver");
        assertTrue(decide(withVolume(options(true, false, true), pv, failed), "persistentvolumes", json(pv)).applies());
    }

    @Test
    void aClaimWhoseVolumeIsNotInTheBackupKeepsItsVolumeName() {
        ItemRules.Decision claim = decide(new ItemRules(options(true, false, false)), "persistentvolumeclaims", json(PVC));
        assertEquals("pv-1", claim.item().path("spec").path("volumeName").asText());
        assertTrue(claim.note().contains("not in the backup"), claim.note());
        assertNull(decide(rules, "configmaps", json("{'metadata':{'name':'a','namespace':'shop'}}")).note());
    }

    @Test
    void snapshotNamesAreUniquePerOwnerNamespaceAndClaimAndAlwaysValid() {
        assertEquals("lifeboat-nightly.shop.data", SnapshotNames.of("nightly", "shop", "data"));
        assertFalse(SnapshotNames.of("nightly", "shop", "data").equals(SnapshotNames.of("nightly", "tools", "data")));
        // dashes cannot make two triples one name
        assertFalse(SnapshotNames.of("a-b", "c", "d").equals(SnapshotNames.of("a", "b-c", "d")));
        assertFalse(SnapshotNames.of("a", "b-c", "d").equals(SnapshotNames.of("a", "b", "c-d")));
        String longClaim = "c".repeat(120) + "." + "d".repeat(120);
        String one = SnapshotNames.of("nightly-" + "x".repeat(54), "ns-" + "y".repeat(59), longClaim);
        String two = SnapshotNames.of("nightly-" + "x".repeat(54), "ns-" + "y".repeat(59), longClaim + "e");
        for (String name : List.of(one, two, SnapshotNames.of("a.b", "c", "d"), SnapshotNames.of("x", "y-", "-.z"))) {
            assertTrue(name.length() <= 253, name);
            assertTrue(SnapshotNames.isSubdomain(name), name);
        }
        assertFalse(one.equals(two), "cut names differ by their hash");
        assertFalse(SnapshotNames.of("a.b", "c", "d").equals(SnapshotNames.of("a", "b.c", "d")));
    }

    @Test
    void statefulSetTemplatesFollowTheStorageClassMapping() {
        JsonNode set = decide(rules, "statefulsets.apps", json("""
                {'kind':'StatefulSet','metadata':{'name':'db','namespace':'shop'},
                 'spec':{'volumeClaimTemplates':[{'spec':{'storageClassName':'gp2'}},{'spec':{'storageClassName':'fast'}}]}}"""))
                .item();
        assertEquals("standard", set.path("spec").path("volumeClaimTemplates").get(0).path("spec").path("storageClassName").asText());
        assertEquals("fast", set.path("spec").path("volumeClaimTemplates").get(1).path("spec").path("storageClassName").asText());
    }

    @Test
    void podsAreScheduledAnewWithoutTheirOldTokensAndFinishedOnesStayBehind() {
        JsonNode pod = decide(rules, "pods", json("""
                {'kind':'Pod','metadata':{'name':'p','namespace':'shop'},'spec':{'nodeName':'n1','priority':5,
                 'volumes':[{'name':'kube-api-access-x','projected':{'sources':[{'serviceAccountToken':{'path':'token'}}]}},
                            {'name':'data','emptyDir':{}}],
                 'containers':[{'name':'c','volumeMounts':[{'name':'kube-api-access-x','mountPath':'/var/run'},{'name':'data','mountPath':'/d'}]}]},
                 'status':{'phase':'Running'}}""")).item().path("spec");
        assertFalse(pod.has("nodeName"));
        assertFalse(pod.has("priority"));
        assertEquals(1, pod.path("volumes").size());
        assertEquals("data", pod.path("containers").get(0).path("volumeMounts").get(0).path("name").asText());
        assertEquals(1, pod.path("containers").get(0).path("volumeMounts").size());
        assertFalse(decide(rules, "pods", json("{'kind':'Pod','metadata':{'name':'done','namespace':'shop'},'status':{'phase':'Succeeded'}}")).applies());
        assertFalse(decide(rules, "pods", json("{'kind':'Pod','metadata':{'name':'m','namespace':'kube-system','annotations':{'kubernetes.io/config.mirror':'x'}}}")).applies());
    }

    @Test
    void jobsLoseTheirControllerUidAndFinishedJobsStayBehind() {
        JsonNode job = decide(rules, "jobs.batch", json("""
                {'kind':'Job','metadata':{'name':'j','namespace':'shop','labels':{'controller-uid':'u','job-name':'j'}},
                 'spec':{'selector':{'matchLabels':{'controller-uid':'u'}},
                         'template':{'metadata':{'labels':{'controller-uid':'u','job-name':'j'}}}}}""")).item();
        assertFalse(job.path("metadata").path("labels").has("controller-uid"));
        assertFalse(job.path("spec").has("selector"));
        assertEquals(json("{'job-name':'j'}"), job.path("spec").path("template").path("metadata").path("labels"));
        assertFalse(decide(rules, "jobs.batch", json("{'kind':'Job','metadata':{'name':'old','namespace':'shop'},'status':{'completionTime':'2026-01-01T00:00:00Z'}}")).applies());
    }

    @Test
    void filtersDecideWhatIsTaken() {
        RestoreOptions narrow = new RestoreOptions("b", "r", false, false, false, List.of("shop"), Map.of(), Map.of(),
                Map.of("app", "web"), List.of());
        ItemRules filtered = new ItemRules(narrow);
        assertTrue(decide(filtered, "configmaps", json("{'metadata':{'name':'a','namespace':'shop','labels':{'app':'web'}}}")).applies());
        assertFalse(decide(filtered, "configmaps", json("{'metadata':{'name':'a','namespace':'shop','labels':{'app':'db'}}}")).applies());
        assertFalse(decide(filtered, "configmaps", json("{'metadata':{'name':'a','namespace':'tools','labels':{'app':'web'}}}")).applies());
        assertFalse(decide(filtered, "clusterroles.rbac.authorization.k8s.io", json("{'metadata':{'name':'r','labels':{'app':'web'}}}")).applies());
        assertTrue(decide(filtered, "namespaces", json("{'metadata':{'name':'shop','labels':{'app':'web'}}}")).applies());
        assertFalse(decide(filtered, "namespaces", json("{'metadata':{'name':'tools','labels':{'app':'web'}}}")).applies());

        RestoreOptions single = new RestoreOptions("b", "r", true, false, false, List.of(), Map.of(), Map.of(), Map.of(),
                List.of("deployments.apps/shop/frontend"));
        ItemRules one = new ItemRules(single);
        assertTrue(decide(one, "deployments.apps", json("{'metadata':{'name':'frontend','namespace':'shop'}}")).applies());
        ItemRules.Decision other = decide(one, "deployments.apps", json("{'metadata':{'name':'cart','namespace':'shop'}}"));
        assertFalse(other.applies());
        assertNull(other.item());
        assertEquals("not among the resources asked for", other.skipped());
    }

    @Test
    void namespacesAreRenamedByTheMapping() {
        assertEquals("shop-copy", decide(rules, "namespaces", json("{'metadata':{'name':'shop'}}")).item()
                .path("metadata").path("name").asText());
    }

    @Test
    void crdsComeFirstThenVeleroPrioritiesThenTheRestByName() {
        assertEquals(List.of(RestoreOrder.CRDS, "namespaces", "persistentvolumes", "persistentvolumeclaims", "secrets",
                        "configmaps", "services", "deployments.apps", "widgets.demo.lifeboat.io"),
                RestoreOrder.sort(List.of("widgets.demo.lifeboat.io", "services", "deployments.apps", "configmaps", "secrets",
                        "persistentvolumeclaims", "persistentvolumes", "namespaces", RestoreOrder.CRDS)));
    }
}
