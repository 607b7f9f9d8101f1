package io.lifeboat.api.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * What the web console (served at {@code /} from the lifeboat-console jar) must know before it calls the API:
 * whether the user signs in, and where. {@code GET /console-config.json} answers {@code {"auth": "none"}} in local
 * mode, and in AWS {@code {"auth": "oidc", "issuer", "clientId", "scopes", "projectsClaim"}} from the deployment's
 * settings (Terraform sets them to the JWT authorizer's issuer and audience). It holds no secret: the console signs in
 * with the authorization code flow and PKCE, as a public client. It is a plain HTTP route, outside the JAX-RS API, so
 * no project check applies to it; it reads and writes nothing.
 */
@ApplicationScoped
public class ConsoleConfig {
    public static final String PATH = "/console-config.json";

    @ConfigProperty(name = "lifeboat.console.oidc.issuer")
    Optional<String> issuer;
    @ConfigProperty(name = "lifeboat.console.oidc.client-id")
    Optional<String> clientId;
    @ConfigProperty(name = "lifeboat.console.oidc.scopes", defaultValue = "openid")
    String scopes;
    @ConfigProperty(name = "lifeboat.access.projects-claim", defaultValue = "lifeboat:projects")
    String projectsClaim;
    /** The project the console opens first; the user may switch to any other the token allows. */
    @ConfigProperty(name = "lifeboat.console.default-project", defaultValue = "default")
    String defaultProject;

    void route(@Observes Router router) {
        String body = json();
        router.get(PATH).handler(context -> context.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body));
        // The page names its scripts by their content's hash, so those may be kept; the page itself must be asked for
        // again, or a browser would keep an old page whose scripts a new deployment no longer has. Set as the answer's
        // headers are written, so that it wins over the static files' own caching.
        router.getWithRegex("/(index\\.html)?").order(Integer.MIN_VALUE + 1).handler(context -> {
            context.addHeadersEndHandler(done -> context.response().headers().set("Cache-Control", "no-cache"));
            context.next();
        });
    }

    String json() {
        ObjectNode config = new ObjectMapper().createObjectNode();
        config.put("defaultProject", defaultProject);
        if (issuer.isPresent() && clientId.isPresent()) {
            config.put("auth", "oidc");
            config.put("issuer", issuer.get());
            config.put("clientId", clientId.get());
            config.put("scopes", scopes);
            config.put("projectsClaim", projectsClaim);
        } else {
            config.put("auth", "none");
        }
        return config.toString();
    }
}
