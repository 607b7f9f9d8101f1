package io.lifeboat.local;

import io.lifeboat.api.access.CallerProjects;
import io.lifeboat.api.access.ProjectGrant;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Local mode listens on loopback only and is run by the machine's user, who may use every project. In AWS, the
 * projects come from the caller's JWT instead (functions/aws-api).
 */
public class LocalAccess {
    @Produces
    @Singleton
    CallerProjects everyProject() {
        return () -> Optional.of(ProjectGrant.everyProject("local"));
    }
}
