package io.lifeboat.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OIDC issuer on loopback that plays what the console's sign-in needs of a real one (Cognito, Entra ID, Keycloak):
 * discovery, the authorization endpoint (which signs the user in at once and sends the browser back with a code), and
 * the token endpoint, which gives an access token only for the code it issued, to the client it was issued to, with
 * the code verifier whose S256 hash is the challenge the authorization request carried (PKCE). What happened is kept
 * in {@link #events} for the test to read. Started as a test resource, which gives local mode the issuer's address.
 */
public class FakeIssuer implements QuarkusTestResourceLifecycleManager {
    public static final String CLIENT = "lifeboat-console-test";
    public static final String PROJECTS_CLAIM = "lifeboat:projects";
    public static final List<String> PROJECTS = List.of("default", "team-b");
    public static final List<String> events = new CopyOnWriteArrayList<>();
    /** The access token issued, as the browser should then send it. */
    public static volatile String issuedToken;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String[]> codes = new ConcurrentHashMap<>(); // code -> {challenge, redirect_uri}
    private HttpServer server;
    private String base;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
        // free ports and a fresh home, as every test of this module has (LocalPorts)
        Map<String, String> config = new HashMap<>(new LocalPorts().start());
        config.put("lifeboat.console.oidc.issuer", base);
        config.put("lifeboat.console.oidc.client-id", CLIENT);
        config.put("lifeboat.console.oidc.scopes", "openid profile");
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        answer(exchange, 200, JSON.createObjectNode().put("issuer", base)
                .put("authorization_endpoint", base + "/authorize").put("token_endpoint", base + "/token").toString());
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        events.add("authorize " + query.get("response_type") + " " + query.get("client_id") + " "
                + query.get("code_challenge_method") + " scope=" + query.get("scope"));
        if (!"code".equals(query.get("response_type")) || !CLIENT.equals(query.get("client_id"))
                || !"S256".equals(query.get("code_challenge_method")) || query.get("code_challenge") == null
                || query.get("state") == null) {
            answer(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = "code-" + codes.size();
        codes.put(code, new String[]{query.get("code_challenge"), query.get("redirect_uri")});
        exchange.getResponseHeaders().add("Location", query.get("redirect_uri") + "?code=" + code + "&state="
                + java.net.URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String[] issued = codes.remove(String.valueOf(body.get("code")));
        boolean ok = issued != null && "authorization_code".equals(body.get("grant_type"))
                && CLIENT.equals(body.get("client_id")) && issued[1].equals(body.get("redirect_uri"))
                && body.get("code_verifier") != null && issued[0].equals(s256(body.get("code_verifier")));
        events.add("token " + (ok ? "issued" : "refused"));
        if (!ok) {
            answer(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String claims = JSON.createObjectNode().put("sub", "alice").put("iss", base).put("client_id", CLIENT)
                .set(PROJECTS_CLAIM, JSON.valueToTree(PROJECTS)).toString();
        issuedToken = url.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".unsigned";
        answer(exchange, 200, JSON.createObjectNode().put("access_token", issuedToken).put("token_type", "Bearer")
                .put("expires_in", 3600).toString());
    }

    private static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String text) {
        Map<String, String> values = new HashMap<>();
        if (text == null) {
            return values;
        }
        for (String pair : text.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** Answers with CORS allowed, as issuers do for their discovery and token endpoints (the page calls them). */
    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
