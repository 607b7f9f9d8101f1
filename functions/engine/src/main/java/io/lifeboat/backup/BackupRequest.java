package io.lifeboat.backup;

import java.time.OffsetDateTime;
import java.util.List;

/** The body of {@code POST /v1/projects/{project}/backups}. */
public record BackupRequest(String name, String cluster, String location, OffsetDateTime expiresAt,
                            Boolean includeDisks, Boolean includeClusterResources, List<String> namespaces) {
}
