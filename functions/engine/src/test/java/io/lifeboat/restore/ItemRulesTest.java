package io.lifeboat.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

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

    ItemRules rules = new ItemRules(options(true, false, false), Set.of());

    @Test
    void serverOwnedFieldsAndStatusGoAndLabelsNameTheBackupAndRestore() {
        ObjectNode cm = json("""
                {'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cfg','namespace':'shop','uid':'u1',
                 'resourceVersion':'9','generation':2,'creationTimestamp':'2026-01-01T00:00:00Z','selfLink':'/x',
                 'managedFields':[{}],'ownerReferences':[{'name':'o'}],'labels':{'app':'web'}},
                 'data':{'k':'v'},'status':{'x':1}}""");
        ItemRules.Decision decision = rules.decide("configmaps", cm);
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
        JsonNode cleared = rules.decide("services", json(text)).item().path("spec");
        assertFalse(cleared.has("clusterIP"));
        assertFalse(cleared.has("clusterIPs"));
        assertFalse(cleared.path("ports").get(0).has("nodePort"));
        JsonNode kept = new ItemRules(options(true, true, false), Set.of()).decide("services", json(text)).item().path("spec");
        assertEquals(30080, kept.path("ports").get(0).path("nodePort").asInt());
        JsonNode headless = rules.decide("services", json(text.replace("10.0.0.5", "None"))).item().path("spec");
        assertEquals("None", headless.path("clusterIP").asText());
    }

    @Test
    void volumesFollowTheMappingsAndComeBackOnlyWhenAsked() {
        String pv = """
                {'kind':'PersistentVolume','metadata':{'name':'pv-1','annotations':{'pv.kubernetes.io/bound-by-controller':'yes','keep':'me'}},
                 'spec':{'storageClassName':'gp2','claimRef':{'namespace':'shop','name':'data','uid':'u','resourceVersion':'3'}}}""";
        assertFalse(rules.decide("persistentvolumes", json(pv)).applies(), "dynamically provisioned: provisioned anew");
        JsonNode restored = new ItemRules(options(true, false, true), Set.of()).decide("persistentvolumes", json(pv)).item();
        assertEquals(json("{'namespace':'shop-copy','name':'data'}"), restored.path("spec").path("claimRef"));
        assertEquals("standard", restored.path("spec").path("storageClassName").asText());
        assertEquals(json("{'keep':'me'}"), restored.path("metadata").path("annotations"));
        assertFalse(new ItemRules(options(true, false, true), Set.of("pv-1")).decide("persistentvolumes", json(pv)).applies(),
                "a snapshotted volume is provisioned from its snapshot");

        String pvc = """
                {'kind':'PersistentVolumeClaim','metadata':{'name':'data','namespace':'shop'},
                 'spec':{'storageClassName':'gp2','volumeName':'pv-1'}}""";
        JsonNode empty = rules.decide("persistentvolumeclaims", json(pvc)).item().path("spec");
        assertFalse(empty.has("volumeName"));
        assertEquals("standard", empty.path("storageClassName").asText());
        JsonNode bound = new ItemRules(options(true, false, true), Set.of()).decide("persistentvolumeclaims", json(pvc))
                .item().path("spec");
        assertEquals("pv-1", bound.path("volumeName").asText());
    }

    @Test
    void statefulSetTemplatesFollowTheStorageClassMapping() {
        JsonNode set = rules.decide("statefulsets.apps", json("""
                {'kind':'StatefulSet','metadata':{'name':'db','namespace':'shop'},
                 'spec':{'volumeClaimTemplates':[{'spec':{'storageClassName':'gp2'}},{'spec':{'storageClassName':'fast'}}]}}"""))
                .item();
        assertEquals("standard", set.path("spec").path("volumeClaimTemplates").get(0).path("spec").path("storageClassName").asText());
        assertEquals("fast", set.path("spec").path("volumeClaimTemplates").get(1).path("spec").path("storageClassName").asText());
    }

    @Test
    void podsAreScheduledAnewWithoutTheirOldTokensAndFinishedOnesStayBehind() {
        JsonNode pod = rules.decide("pods", json("""
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
        assertFalse(rules.decide("pods", json("{'kind':'Pod','metadata':{'name':'done','namespace':'shop'},'status':{'phase':'Succeeded'}}")).applies());
        assertFalse(rules.decide("pods", json("{'kind':'Pod','metadata':{'name':'m','namespace':'kube-system','annotations':{'kubernetes.io/config.mirror':'x'}}}")).applies());
    }

    @Test
    void jobsLoseTheirControllerUidAndFinishedJobsStayBehind() {
        JsonNode job = rules.decide("jobs.batch", json("""
                {'kind':'Job','metadata':{'name':'j','namespace':'shop','labels':{'controller-uid':'u','job-name':'j'}},
                 'spec':{'selector':{'matchLabels':{'controller-uid':'u'}},
                         'template':{'metadata':{'labels':{'controller-uid':'u','job-name':'j'}}}}}""")).item();
        assertFalse(job.path("metadata").path("labels").has("controller-uid"));
        assertFalse(job.path("spec").has("selector"));
        assertEquals(json("{'job-name':'j'}"), job.path("spec").path("template").path("metadata").path("labels"));
        assertFalse(rules.decide("jobs.batch", json("{'kind':'Job','metadata':{'name':'old','namespace':'shop'},'status':{'completionTime':'2026-01-01T00:00:00Z'}}")).applies());
    }

    @Test
    void filtersDecideWhatIsTaken() {
        RestoreOptions narrow = new RestoreOptions("b", "r", false, false, false, List.of("shop"), Map.of(), Map.of(),
                Map.of("app", "web"), List.of());
        ItemRules filtered = new ItemRules(narrow, Set.of());
        assertTrue(filtered.decide("configmaps", json("{'metadata':{'name':'a','namespace':'shop','labels':{'app':'web'}}}")).applies());
        assertFalse(filtered.decide("configmaps", json("{'metadata':{'name':'a','namespace':'shop','labels':{'app':'db'}}}")).applies());
        assertFalse(filtered.decide("configmaps", json("{'metadata':{'name':'a','namespace':'tools','labels':{'app':'web'}}}")).applies());
        assertFalse(filtered.decide("clusterroles.rbac.authorization.k8s.io", json("{'metadata':{'name':'r','labels':{'app':'web'}}}")).applies());
        assertTrue(filtered.decide("namespaces", json("{'metadata':{'name':'shop','labels':{'app':'web'}}}")).applies());
        assertFalse(filtered.decide("namespaces", json("{'metadata':{'name':'tools','labels':{'app':'web'}}}")).applies());

        RestoreOptions single = new RestoreOptions("b", "r", true, false, false, List.of(), Map.of(), Map.of(), Map.of(),
                List.of("deployments.apps/shop/frontend"));
        ItemRules one = new ItemRules(single, Set.of());
        assertTrue(one.decide("deployments.apps", json("{'metadata':{'name':'frontend','namespace':'shop'}}")).applies());
        ItemRules.Decision other = one.decide("deployments.apps", json("{'metadata':{'name':'cart','namespace':'shop'}}"));
        assertFalse(other.applies());
        assertNull(other.item());
        assertEquals("not among the resources asked for", other.skipped());
    }

    @Test
    void namespacesAreRenamedByTheMapping() {
        assertEquals("shop-copy", rules.decide("namespaces", json("{'metadata':{'name':'shop'}}")).item()
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
