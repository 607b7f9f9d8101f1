package io.lifeboat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code lifeboat config}: the saved defaults (server, project, token-file) in
 * {@code $XDG_CONFIG_HOME/lifeboat/config}, else {@code ~/.config/lifeboat/config}. A token itself is never saved.
 */
@Command(name = "config", description = "Saved defaults: server, project, token-file.")
final class ConfigCommands extends CommandGroup {
    ConfigCommands(Lifeboat root) {
        super(root);
    }

    @Command(name = "set", description = "Save a default: server URL, project NAME or token-file FILE.")
    void set(@Parameters(index = "0", paramLabel = "KEY", description = "server, project or token-file.") String key,
             @Parameters(index = "1", paramLabel = "VALUE") String value) {
        if (key.equals("token")) {
            throw new CliException("a token is never saved in the config file: save the file it is in "
                    + "(lifeboat config set token-file FILE), or set LIFEBOAT_TOKEN", ExitCodes.USAGE);
        }
        if (!ConfigFile.KEYS.contains(key)) {
            throw new CliException("unknown key '" + key + "': one of " + String.join(", ", ConfigFile.sortedKeys()),
                    ExitCodes.USAGE);
        }
        String saved = key.equals("token-file") ? Path.of(value).toAbsolutePath().normalize().toString() : value;
        if (key.equals("server")) {
            Connection.resolve(saved, null, null, root.io()); // refuses what is not an http(s) URL
        }
        ConfigFile config = ConfigFile.of(root.io());
        config.put(key, saved);
        out().println("Saved " + key + " = " + saved + " in " + config.path() + ".");
        out().flush();
    }

    @Command(name = "get", description = "Show the saved defaults, or one of them.")
    void get(@Parameters(arity = "0..1", paramLabel = "KEY") String key) {
        ConfigFile config = ConfigFile.of(root.io());
        Map<String, String> values = config.read();
        if (key != null) {
            String value = values.get(key);
            if (value == null) {
                throw new CliException(key + " is not set in " + config.path());
            }
            out().println(value);
        } else if (values.isEmpty()) {
            out().println("Nothing saved in " + config.path() + " (defaults: server " + Connection.DEFAULT_SERVER
                    + ", project " + Connection.DEFAULT_PROJECT + ").");
        } else {
            out().println("# " + config.path());
            values.forEach((k, v) -> out().println(k + " = " + v));
        }
        out().flush();
    }

    @Command(name = "unset", description = "Forget a saved default.")
    void unset(@Parameters(paramLabel = "KEY") String key) {
        if (!ConfigFile.KEYS.contains(key)) {
            throw new CliException("unknown key '" + key + "': one of " + String.join(", ", ConfigFile.sortedKeys()),
                    ExitCodes.USAGE);
        }
        ConfigFile config = ConfigFile.of(root.io());
        config.put(key, null);
        out().println("Removed " + key + " from " + config.path() + ".");
        out().flush();
    }
}
