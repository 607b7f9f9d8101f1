package io.lifeboat.disk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Where a target cluster's node runs, read from its providerID and labels; anything else is no node of a cloud. */
class TargetNodeTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode node(String name, String providerId, String zone, String region) {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode labels = node.putObject("metadata").put("name", name).putObject("labels");
        if (zone != null) {
            labels.put("topology.kubernetes.io/zone", zone);
        }
        if (region != null) {
            labels.put("topology.kubernetes.io/region", region);
        }
        node.putObject("spec").put("providerID", providerId);
        return node;
    }

    @Test
    void eachCloudsProviderIdIsRead() {
        assertEquals(new TargetNode("a", Cloud.aws, null, null, "i-0123456789abcdef0", "us-east-1", "us-east-1b"),
                TargetNode.of(node("a", "aws:///us-east-1b/i-0123456789abcdef0", null, null)));
        assertEquals(new TargetNode("v", Cloud.azure, "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", "MC_shop_aks_westeurope",
                        "aks-pool-vmss/3", "westeurope", "westeurope-2"),
                TargetNode.of(node("v", "azure:///subscriptions/0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0/resourceGroups/"
                        + "MC_shop_aks_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/aks-pool-vmss/"
                        + "virtualMachines/3", "westeurope-2", null)));
        assertEquals(new TargetNode("g", Cloud.gcp, "shop-prod", null, "gke-pool-1", "europe-west1", "europe-west1-c"),
                TargetNode.of(node("g", "gce://shop-prod/europe-west1-c/gke-pool-1", null, null)));
        assertEquals("us-west-2", TargetNode.of(node("a", "aws:///us-west-2a/i-0123456789abcdef0", "us-west-2a",
                "us-west-2")).region(), "the labels win");
    }

    /** A providerID is the target cluster's to write: what would reach a cloud API's path is read only in its shape. */
    @Test
    void otherOrHostileProviderIdsAreNoNode() {
        for (String hostile : new String[]{"", "kind://docker/kind/kind-control-plane", "k3s://node-1",
                "aws:///us-east-1a/i-../../x", "aws:///us-east-1a/vol-0123456789abcdef0",
                "azure:///subscriptions/../resourceGroups/g/providers/Microsoft.Compute/virtualMachines/v",
                "azure:///subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/resourceGroups/../providers/"
                        + "Microsoft.Compute/virtualMachines/v",
                "azure:///subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/resourceGroups/g/x/../providers/"
                        + "Microsoft.Compute/virtualMachines/v",
                "azure:///subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/resourceGroups/g?x=1/providers/"
                        + "Microsoft.Compute/virtualMachines/v",
                "gce://Shop_Prod/europe-west1-c/n", "gce://shop-prod/europe-west1-c/n/../../x",
                "gce://shop-prod/../n", "gce://shop%2Fprod/europe-west1-c/n"}) {
            assertNull(TargetNode.of(node("n", hostile, null, null)), hostile);
        }
        assertEquals("ip-10-0-1-5??31mx??", TargetNode.of(node("ip-10-0-1-5\u001b[31mx\n\r",
                "aws:///us-east-1a/i-0123456789abcdef0", null, null)).name(), "no escape or line break reaches a log");
        TargetNode odd = TargetNode.of(node("n", "aws:///us-east-1a/i-0123456789abcdef0", "us east/1", "../eu"));
        assertEquals("us-east-1a", odd.zone(), "labels outside a zone's alphabet are not read");
        assertEquals("us-east-1", odd.region());
    }
}
