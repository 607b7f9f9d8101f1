package io.lifeboat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * The options a restore takes, shared by {@code restore create} and {@code workspace restore}: mappings, the policy
 * for objects that exist, a label selector, cluster-scoped resources, volumes and node ports.
 */
final class RestoreOptions {
    @Option(names = "--namespace-mapping", paramLabel = "FROM=TO", split = ",",
            description = "Restore namespace FROM as TO (repeat, or a=b,c=d).")
    List<String> namespaceMapping;
    @Option(names = "--storage-class-mapping", paramLabel = "FROM=TO", split = ",",
            description = "Give claims and volumes of storage class FROM the class TO (e.g. gp2=standard).")
    List<String> storageClassMapping;
    @Option(names = "--existing", paramLabel = "update|none",
            description = "An object that exists and differs: none leaves it with a warning (default), update replaces it.")
    String existing;
    @Option(names = "--selector", paramLabel = "KEY=VALUE", split = ",",
            description = "Only objects with these labels (k=v, several joined with commas).")
    List<String> selector;
    @Option(names = "--include-cluster-resources", description = "Restore every cluster-scoped object too (default: only"
            + " those the namespaces need).")
    boolean includeClusterResources;
    @Option(names = "--restore-volumes", description = "Restore claims from their volume snapshots (restorePVs).")
    boolean restoreVolumes;
    @Option(names = "--preserve-node-ports", description = "Keep the node ports of NodePort and LoadBalancer services.")
    boolean preserveNodePorts;

    void fill(ObjectNode body) {
        if (namespaceMapping != null) {
            body.set("namespaceMapping", Mappings.of("--namespace-mapping", namespaceMapping));
        }
        if (storageClassMapping != null) {
            body.set("storageClassMapping", Mappings.of("--storage-class-mapping", storageClassMapping));
        }
        if (existing != null) {
            body.put("existingResourcePolicy", existing);
        }
        if (selector != null) {
            body.put("labelSelector", String.join(",", selector));
        }
        if (includeClusterResources) {
            body.put("includeClusterResources", true);
        }
        if (restoreVolumes) {
            body.put("restorePVs", true);
        }
        if (preserveNodePorts) {
            body.put("preserveNodePorts", true);
        }
    }
}
