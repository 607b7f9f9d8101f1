package io.lifeboat.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where requests go and what they carry: the server, project and bearer token from flags, the saved defaults
 * (XDG_CONFIG_HOME honoured) and LIFEBOAT_TOKEN, in that order. Local mode takes no token, so a recorder on loopback
 * stands in for an API that checks one; it answers 401 to a wrong token as API Gateway does. A token is never printed.
 */
class ConnectionTest {
    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.a-token-for-tests.c2lnbmF0dXJl";

    record Seen(String path, String authorization) {
    }

    HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    String url;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(new Seen(exchange.getRequestURI().getPath(), authorization));
            boolean ok = authorization == null || authorization.equals("Bearer " + TOKEN);
            byte[] body = (ok ? "{\"items\":[]}" : "{\"message\":\"Unauthorized\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void flagsThenSavedDefaultsThenDefaults() {
        CliHarness cli = new CliHarness(null);
        Connection defaults = Connection.resolve(null, null, null, cli.io());
        assertEquals("http://127.0.0.1:8080", defaults.server().toString());
        assertEquals("default", defaults.project());
        assertNull(defaults.token());

        assertEquals(0, cli.run("config", "set", "server", url).exitCode());
        assertEquals(0, cli.run("config", "set", "project", "team-a").exitCode());
        CliHarness.Result saved = cli.run("backup", "list");
        assertEquals(0, saved.exitCode(), saved.toString());
        assertEquals("No backups found.\n", saved.out());
        assertEquals("/v1/projects/team-a/backups", seen.get(seen.size() - 1).path());

        CliHarness.Result flagged = cli.run("cluster", "list", "--project", "team-b");
        assertEquals(0, flagged.exitCode(), flagged.toString());
        assertEquals("/v1/projects/team-b/clusters", seen.get(seen.size() - 1).path());
        CliHarness.Result before = cli.run("--project", "team-c", "cluster", "list");
        assertEquals(0, before.exitCode(), before.toString());
        assertEquals("/v1/projects/team-c/clusters", seen.get(seen.size() - 1).path(), "a flag before the command too");
        assertNull(seen.get(seen.size() - 1).authorization(), "no token, no header");
    }

    @Test
    void theConfigFileFollowsXdgConfigHome() throws IOException {
        CliHarness cli = new CliHarness(null);
        Path xdg = Files.createTempDirectory("xdg");
        cli.env("XDG_CONFIG_HOME", xdg.toString());
        CliHarness.Result set = cli.run("config", "set", "server", url);
        assertEquals(0, set.exitCode(), set.toString());
        assertTrue(Files.readString(xdg.resolve("lifeboat/config")).contains("server = " + url));
        assertFalse(Files.exists(cli.home().resolve(".config/lifeboat/config")), "not under HOME when XDG_CONFIG_HOME is set");
        assertEquals(url + "\n", cli.run("config", "get", "server").out());

        cli.env("XDG_CONFIG_HOME", null);
        assertEquals(0, cli.run("config", "set", "project", "p").exitCode());
        assertTrue(Files.readString(cli.home().resolve(".config/lifeboat/config")).contains("project = p"));
        CliHarness.Result all = cli.run("config", "get");
        assertTrue(all.out().contains("project = p") && !all.out().contains(url), all.toString());
        assertEquals(0, cli.run("config", "unset", "project").exitCode());
        assertEquals(1, cli.run("config", "get", "project").exitCode());
        CliHarness.Result badServer = cli.run("config", "set", "server", "ftp://x");
        assertEquals(ExitCodes.USAGE, badServer.exitCode(), badServer.toString());
        assertEquals(ExitCodes.USAGE, cli.run("config", "set", "colour", "blue").exitCode());
    }

    @Test
    void theTokenComesFromTheFlagThenTheEnvironmentThenTheSavedFileAndIsNeverPrinted() throws IOException {
        CliHarness cli = new CliHarness(url);
        Path tokenFile = Files.createTempFile("token", "");
        Files.writeString(tokenFile, TOKEN + "\n");
        Path wrongFile = Files.createTempFile("wrong", "");
        Files.writeString(wrongFile, "not-the-token");

        cli.env("LIFEBOAT_TOKEN", TOKEN);
        assertEquals(0, cli.run("location", "list").exitCode());
        assertEquals("Bearer " + TOKEN, seen.get(seen.size() - 1).authorization());

        CliHarness.Result wrong = cli.run("location", "list", "--token-file", wrongFile.toString());
        assertEquals("Bearer not-the-token", seen.get(seen.size() - 1).authorization(), "the flag wins over the variable");
        assertEquals(1, wrong.exitCode());
        assertEquals("Error: not authenticated: set LIFEBOAT_TOKEN or --token-file\n", wrong.err());

        cli.env("LIFEBOAT_TOKEN", null);
        assertEquals(0, cli.run("config", "set", "token-file", tokenFile.toString()).exitCode());
        CliHarness.Result fromSaved = cli.run("location", "list", "-o", "json");
        assertEquals(0, fromSaved.exitCode(), fromSaved.toString());
        assertEquals("Bearer " + TOKEN, seen.get(seen.size() - 1).authorization());

        String config = Files.readString(cli.home().resolve(".config/lifeboat/config"));
        assertFalse(config.contains(TOKEN), "the file names where the token is, not the token: " + config);
        CliHarness.Result refused = cli.run("config", "set", "token", TOKEN);
        assertEquals(ExitCodes.USAGE, refused.exitCode());
        for (CliHarness.Result r : List.of(wrong, fromSaved, refused, cli.run("config", "get"))) {
            assertFalse(r.out().contains(TOKEN) || r.err().contains(TOKEN), "printed the token: " + r);
        }
        CliHarness.Result missing = cli.run("location", "list", "--token-file", "/nonexistent/token");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("--token-file: cannot read /nonexistent/token"), missing.toString());
    }

    /** Nothing listens on the port: the message says so and how to start local mode, and the exit code is 1. */
    @Test
    void aRefusedConnectionSaysHowToStartLocalMode() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        CliHarness.Result result = new CliHarness("http://127.0.0.1:" + port).run("backup", "list");
        assertEquals(1, result.exitCode());
        assertEquals("", result.out());
        assertEquals("Error: cannot reach Lifeboat at http://127.0.0.1:" + port + ": connection refused.\n"
                + "Nothing is listening there. To run Lifeboat locally, from the checkout:\n"
                + "  ./mvnw -B -q -DskipTests package && java -jar functions/local/target/quarkus-app/quarkus-run.jar\n"
                + "or point --server (or `lifeboat config set server URL`) at your Lifeboat API.\n", result.err());
    }
}
