package io.lifeboat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.util.Properties;

/**
 * The {@code lifeboat} command: the Lifeboat API from a terminal or a script. It holds the connection options every
 * subcommand inherits ({@code --server}, {@code --project}, {@code --token-file}), opens the API client once they are
 * known, and turns every failure into one readable line on standard error and an exit code ({@link ExitCodes}).
 */
@Command(name = "lifeboat", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = Lifeboat.Version.class,
        description = "Backs up Kubernetes clusters and restores them, through the Lifeboat API.",
        footer = {"", "Connection: --server (default http://127.0.0.1:8080), --project (default 'default'), a token from "
                + "LIFEBOAT_TOKEN or --token-file; saved defaults: lifeboat config set KEY VALUE.",
                "Exit codes: 0 done, 1 error or a run Failed, 2 a run PartiallyFailed, 64 a wrong command line."},
        subcommands = {LocationCommands.class, ClusterCommands.class, BackupCommands.class, RestoreCommands.class,
                ScheduleCommands.class, WorkspaceCommands.class, ConfigCommands.class, CompletionCommand.class,
                CommandLine.HelpCommand.class})
public final class Lifeboat implements Runnable {
    private final CliIo io;
    private String server;
    private String project;
    private String tokenFile;
    private ApiClient api;

    @Spec
    CommandSpec spec;

    Lifeboat(CliIo io) {
        this.io = io;
    }

    @Option(names = "--server", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The Lifeboat API (default: the saved server, else http://127.0.0.1:8080).")
    void server(String server) {
        this.server = server;
    }

    @Option(names = "--project", paramLabel = "PROJECT", scope = ScopeType.INHERIT,
            description = "The project (default: the saved project, else 'default').")
    void project(String project) {
        this.project = project;
    }

    @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "A file holding the bearer token (else LIFEBOAT_TOKEN, else the saved token-file).")
    void tokenFile(String tokenFile) {
        this.tokenFile = tokenFile;
    }

    /** With no subcommand: the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(io.out());
    }

    CliIo io() {
        return io;
    }

    /** The API client, resolved from the flags, the saved defaults and the environment on first use. */
    ApiClient api() {
        if (api == null) {
            api = new ApiClient(Connection.resolve(server, project, tokenFile, io));
        }
        return api;
    }

    Times times() {
        return Times.of(io);
    }

    public static void main(String[] args) {
        System.exit(run(args, CliIo.ofProcess()));
    }

    /** Runs the command line {@code args} against {@code io}, and answers the exit code. */
    public static int run(String[] args, CliIo io) {
        return commandLine(io).execute(args);
    }

    /** The whole command tree, wired to {@code io}: what run() executes and what completion scripts describe. */
    static CommandLine commandLine(CliIo io) {
        Lifeboat root = new Lifeboat(io);
        CommandLine line = new CommandLine(root, new Factory(root));
        line.setOut(io.out());
        line.setErr(io.err());
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setParameterExceptionHandler(new UsageErrors(io));
        line.setExecutionExceptionHandler((e, commandLine, parsed) -> Failures.report(e, io));
        return line;
    }

    static String version() {
        Properties properties = new Properties();
        try (InputStream in = Lifeboat.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException ignored) {
            // no version to show
        }
        return properties.getProperty("version", "unknown");
    }

    /** {@code lifeboat --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"lifeboat " + version() + " (Java " + System.getProperty("java.version") + ")"};
        }
    }

    /** Gives every command class that wants it the root command, through a constructor taking {@link Lifeboat}. */
    private record Factory(Lifeboat root) implements IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> constructor = type.getDeclaredConstructor(Lifeboat.class);
                constructor.setAccessible(true);
                return constructor.newInstance(root);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
