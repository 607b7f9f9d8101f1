package io.lifeboat.api;

import io.lifeboat.api.access.CallerProjects;
import io.lifeboat.api.access.ProjectGrant;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Every API path names a project; a caller may use only the projects of its grant. Runs after routing, before any
 * resource method, so a refused request reads and writes nothing. It fails closed: a path that names no
 * {@code {project}} is refused too, so a new resource cannot skip the check by naming its parameter differently.
 */
public class ProjectAccessFilter {
    @Inject
    CallerProjects callers;

    @ServerRequestFilter
    public Optional<Response> check(UriInfo uri) {
        Optional<ProjectGrant> grant = callers.current();
        if (grant.isEmpty()) {
            return Optional.of(refuse(401, "Unauthorized", "this request carries no identity"));
        }
        String project = uri.getPathParameters().getFirst("project");
        if (project == null) {
            return Optional.of(refuse(403, "Forbidden", "this path names no project"));
        }
        if (!grant.get().allows(project)) {
            return Optional.of(refuse(403, "Forbidden",
                    "caller " + grant.get().caller() + " may not use project " + project));
        }
        return Optional.empty();
    }

    private static Response refuse(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(status, code, "project", message)).build();
    }
}
