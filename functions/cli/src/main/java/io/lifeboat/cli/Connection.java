package io.lifeboat.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the API is, which project, and the bearer token, if any. Each comes from its flag, else the saved defaults,
 * else the default (http://127.0.0.1:8080, project {@code default}); the token from {@code --token-file}, else the
 * environment variable {@code LIFEBOAT_TOKEN}, else the saved {@code token-file}. A token is never taken as a flag's
 * value, so that it stays out of shell history and process lists.
 */
record Connection(URI server, String project, String token) {
    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
    static final String DEFAULT_PROJECT = "default";

    static Connection resolve(String serverFlag, String projectFlag, String tokenFileFlag, CliIo io) {
        ConfigFile config = ConfigFile.of(io);
        String server = first(serverFlag, config.get("server"), DEFAULT_SERVER);
        String project = first(projectFlag, config.get("project"), DEFAULT_PROJECT);
        String token;
        if (tokenFileFlag != null) {
            token = readToken(Path.of(tokenFileFlag), "--token-file");
        } else if (io.env("LIFEBOAT_TOKEN") != null) {
            token = io.env("LIFEBOAT_TOKEN").trim();
        } else if (config.get("token-file") != null) {
            token = readToken(Path.of(config.get("token-file")), "token-file in " + config.path());
        } else {
            token = null;
        }
        URI uri;
        try {
            uri = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
        } catch (IllegalArgumentException e) {
            throw new CliException("--server: '" + server + "' is not a URL", ExitCodes.USAGE);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new CliException("--server: '" + server + "' is not an http:// or https:// URL", ExitCodes.USAGE);
        }
        return new Connection(uri, project, token);
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    private static String readToken(Path file, String where) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (token.isEmpty()) {
                throw new CliException(where + ": " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new CliException(where + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Says what this is without the token's value. */
    @Override
    public String toString() {
        return "Connection[server=" + server + ", project=" + project + ", token=" + (token == null ? "none" : "set") + "]";
    }
}
