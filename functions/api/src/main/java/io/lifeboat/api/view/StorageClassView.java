package io.lifeboat.api.view;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.lifeboat.cluster.ClusterSession;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A storage class a cluster offers, as its API server lists it now: not a record of Lifeboat's, so it has no project,
 * creation time or status of its own. {@code default} is true for the class the cluster marks as its default.
 */
@Schema(name = "StorageClass")
public record StorageClassView(String name, String provisioner, @JsonProperty("default") boolean isDefault) {

    public static StorageClassView of(ClusterSession.StorageClass c) {
        return new StorageClassView(c.name(), c.provisioner(), c.isDefault());
    }
}
