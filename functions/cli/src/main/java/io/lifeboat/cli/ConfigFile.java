package io.lifeboat.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The saved defaults, in {@code $XDG_CONFIG_HOME/lifeboat/config} (or {@code ~/.config/lifeboat/config}): one
 * {@code key = value} a line, {@code #} for comments. It holds where the API is ({@code server}), the project
 * ({@code project}) and where a token is kept ({@code token-file}), never a token itself, so that the file can be
 * shown or shared without giving access away.
 */
final class ConfigFile {
    static final Set<String> KEYS = Set.of("server", "project", "token-file");

    private final Path path;

    ConfigFile(Path path) {
        this.path = path;
    }

    /** The file this environment uses: XDG_CONFIG_HOME when it is set to an absolute path, else HOME's .config. */
    static ConfigFile of(CliIo io) {
        String xdg = io.env("XDG_CONFIG_HOME");
        Path base;
        if (xdg != null && Path.of(xdg).isAbsolute()) {
            base = Path.of(xdg);
        } else {
            String home = io.env("HOME");
            base = Path.of(home != null ? home : System.getProperty("user.home"), ".config");
        }
        return new ConfigFile(base.resolve("lifeboat").resolve("config"));
    }

    Path path() {
        return path;
    }

    /** Every key set, in the file's order; empty when there is no file. */
    Map<String, String> read() {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(path)) {
            return values;
        }
        try {
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                String trimmed = line.trim();
                int equals = trimmed.indexOf('=');
                if (trimmed.isEmpty() || trimmed.startsWith("#") || equals < 1) {
                    continue;
                }
                values.put(trimmed.substring(0, equals).trim(), trimmed.substring(equals + 1).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        return values;
    }

    String get(String key) {
        return read().get(key);
    }

    /** Sets one key (or removes it when {@code value} is null), keeping the other lines as they were. */
    void put(String key, String value) {
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException("unknown key '" + key + "': one of " + String.join(", ", sortedKeys()));
        }
        List<String> lines = new ArrayList<>();
        boolean replaced = false;
        try {
            if (Files.isRegularFile(path)) {
                for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                    String trimmed = line.trim();
                    int equals = trimmed.indexOf('=');
                    boolean same = !trimmed.startsWith("#") && equals > 0 && trimmed.substring(0, equals).trim().equals(key);
                    if (!same) {
                        lines.add(line);
                    } else if (value != null && !replaced) {
                        lines.add(key + " = " + value);
                        replaced = true;
                    }
                }
            } else {
                lines.add("# Lifeboat command line defaults (lifeboat config set KEY VALUE)");
            }
            if (value != null && !replaced) {
                lines.add(key + " = " + value);
            }
            Files.createDirectories(path.getParent());
            Files.write(path, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    static List<String> sortedKeys() {
        return KEYS.stream().sorted().toList();
    }
}
