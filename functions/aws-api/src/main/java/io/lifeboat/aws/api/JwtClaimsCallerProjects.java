package io.lifeboat.aws.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.lifeboat.api.access.CallerProjects;
import io.lifeboat.api.access.ProjectClaim;
import io.lifeboat.api.access.ProjectGrant;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;
import java.util.Optional;

/**
 * In AWS, API Gateway's JWT authorizer has verified the token (issuer, audience, signature, expiry) before the API
 * function runs, and passes its claims in the event's request context. The projects a caller may use are the ones
 * listed in one claim, {@code lifeboat.access.projects-claim} (Terraform's {@code projects_claim}).
 */
@RequestScoped
public class JwtClaimsCallerProjects implements CallerProjects {
    @Inject
    Instance<APIGatewayV2HTTPEvent.RequestContext> requestContext;

    @ConfigProperty(name = "lifeboat.access.projects-claim")
    String projectsClaim;

    @Override
    public Optional<ProjectGrant> current() {
        Map<String, String> claims = claims();
        if (claims == null || claims.isEmpty()) {
            return Optional.empty();
        }
        String caller = claims.getOrDefault("sub", "unknown");
        return Optional.of(new ProjectGrant(caller, ProjectClaim.parse(claims.get(projectsClaim)), false));
    }

    private Map<String, String> claims() {
        if (!requestContext.isResolvable()) {
            return null;
        }
        APIGatewayV2HTTPEvent.RequestContext context = requestContext.get();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null) {
            return null;
        }
        return context.getAuthorizer().getJwt().getClaims();
    }
}
