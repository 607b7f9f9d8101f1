package io.lifeboat.backup;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The body of {@code POST /v1/projects/{project}/backups}. {@code verifyAfter}: verify the backup's files as soon as
 * it has finished (see {@code verification.BackupVerifier}).
 */
public record BackupRequest(String name, String cluster, String location, OffsetDateTime expiresAt,
                            Boolean includeDisks, Boolean includeClusterResources, List<String> namespaces,
                            Boolean verifyAfter) {

    /** A request that does not ask for a verification. */
    public BackupRequest(String name, String cluster, String location, OffsetDateTime expiresAt, Boolean includeDisks,
                         Boolean includeClusterResources, List<String> namespaces) {
        this(name, cluster, location, expiresAt, includeDisks, includeClusterResources, namespaces, null);
    }
}
