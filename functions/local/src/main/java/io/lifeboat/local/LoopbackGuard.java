package io.lifeboat.local;

import io.lifeboat.api.ErrorBody;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Local mode trusts whoever reaches it on loopback, so a web page in the user's browser must not reach it. Before
 * routing, every request must name the local API itself in {@code Host} (127.0.0.1, localhost or [::1], with the
 * port it came in on), against DNS rebinding; and a request that may write (anything but GET, HEAD, OPTIONS) must
 * not come from another origin ({@code Origin} not the local API, {@code Sec-Fetch-Site: cross-site}) nor be a
 * form a page can post without CORS (urlencoded, multipart or text/plain). Refusals are 403s in the API's error shape.
 */
@ApplicationScoped
public class LoopbackGuard {
    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> FORM_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data",
            "text/plain");

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> check(HttpServerRequest request) {
        int port = request.localAddress() == null ? -1 : request.localAddress().port();
        String host = host(request);
        if (host == null || !isLocal(host, port)) {
            return refuse("Host", "this API answers only requests for 127.0.0.1, localhost or [::1] on port " + port);
        }
        if (READS.contains(request.method().name())) {
            return Optional.empty();
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !(origin.startsWith("http://") && isLocal(origin.substring("http://".length()), port))) {
            return refuse("Origin", "a request from another origin may not change anything");
        }
        if ("cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"))) {
            return refuse("Origin", "a cross-site request may not change anything");
        }
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && FORM_TYPES.contains(type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))) {
            return refuse("Content-Type", "a form may not change anything: send the body as application/json");
        }
        return Optional.empty();
    }

    /**
     * The same Host check for every path the server answers outside the API too: the console's files, its
     * {@code /console-config.json}, and {@code /q/...}. They hold no secret, but a page on a rebound name gets nothing
     * from this server at all. Runs before every other route.
     */
    void guardEveryPath(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            HttpServerRequest request = context.request();
            int port = request.localAddress() == null ? -1 : request.localAddress().port();
            String host = host(request);
            if (host == null || !isLocal(host, port)) {
                context.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON)
                        .end(Json.encode(ErrorBody.of(403, "Forbidden", "Host",
                                "this server answers only requests for 127.0.0.1, localhost or [::1] on port " + port)));
                return;
            }
            context.next();
        });
    }

    /**
     * The authority the request names: its {@code Host} header, or for HTTP/2 (a client's h2c upgrade, such as the
     * JDK's HttpClient makes by default) its {@code :authority}, which carries no {@code Host}.
     */
    static String host(HttpServerRequest request) {
        String host = request.getHeader(HttpHeaders.HOST);
        if (host != null || request.authority() == null) {
            return host;
        }
        HostAndPort authority = request.authority();
        return authority.port() >= 0 ? authority.host() + ":" + authority.port() : authority.host();
    }

    /** {@code name:port} (or the bare name on port 80) with a loopback name, and nothing more. */
    static boolean isLocal(String authority, int port) {
        String value = authority.toLowerCase(Locale.ROOT);
        String name = value;
        int colon = value.lastIndexOf(':');
        if (colon > value.lastIndexOf(']')) {
            name = value.substring(0, colon);
            if (!value.substring(colon + 1).equals(String.valueOf(port))) {
                return false;
            }
        } else if (port != 80) {
            return false;
        }
        return LOOPBACK_NAMES.contains(name);
    }

    private static Optional<Response> refuse(String field, String message) {
        return Optional.of(Response.status(403).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(403, "Forbidden", field, message)).build());
    }
}
