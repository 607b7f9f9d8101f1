package io.lifeboat.api;

import io.lifeboat.api.access.CallerProjects;
import io.lifeboat.api.access.ProjectGrant;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Optional;

/** The API tests call as a caller who may use every project; who may use what is tested in aws-api. */
public class EveryProjectForTests {
    @Produces
    @Singleton
    CallerProjects everyProject() {
        return () -> Optional.of(ProjectGrant.everyProject("test"));
    }
}
