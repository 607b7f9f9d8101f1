package io.lifeboat.workspace;

import java.time.Instant;
import java.util.List;

/** A group of a project's clusters, backed up and restored together; {@code namespaces} empty means all. */
public record Workspace(String project, String name, List<String> clusters, List<String> namespaces, Instant createdAt) {
    public Workspace {
        clusters = List.copyOf(clusters);
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }
}
