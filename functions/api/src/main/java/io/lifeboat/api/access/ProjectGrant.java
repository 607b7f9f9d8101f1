package io.lifeboat.api.access;

import java.util.Set;

/**
 * The projects one caller may use. {@code everyProject} is for local mode only, where the API listens on loopback
 * and its user owns the machine.
 *
 * @param caller       who is calling, for messages (a JWT's subject; never a token or a secret)
 * @param projects     the projects named in the caller's claims
 * @param everyProject true when the caller may use every project
 */
public record ProjectGrant(String caller, Set<String> projects, boolean everyProject) {
    public ProjectGrant {
        projects = Set.copyOf(projects);
    }

    public static ProjectGrant everyProject(String caller) {
        return new ProjectGrant(caller, Set.of(), true);
    }

    public boolean allows(String project) {
        return everyProject || projects.contains(project);
    }
}
