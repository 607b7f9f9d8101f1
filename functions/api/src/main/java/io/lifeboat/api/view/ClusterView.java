package io.lifeboat.api.view;


import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A cluster: never its kubeconfig. */
@Schema(name = "Cluster")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterView(String name, String project, Instant createdAt, Spec spec, Status status) {

    /** What was registered: the context used and the server it names; {@code allowInsecureTls} as asked. */
    @Schema(name = "ClusterSpec")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(String context, String server, boolean allowInsecureTls) {
    }

    /** The latest health check; {@code insecureTls} says the server's certificate is not verified. */
    @Schema(name = "ClusterStatus")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(ClusterStatus.Health health, String kubernetesVersion, String message, Instant checkedAt,
                         boolean insecureTls) {
    }

    public static ClusterView of(Cluster c) {
        ClusterStatus s = c.status();
        return new ClusterView(c.name(), c.project(), c.createdAt(), new Spec(c.context(), c.server(), c.insecureTls()),
                new Status(s.health(), s.kubernetesVersion(), s.message(), s.checkedAt(), c.insecureTls()));
    }
}
