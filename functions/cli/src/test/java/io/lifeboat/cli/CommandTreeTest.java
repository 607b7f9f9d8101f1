package io.lifeboat.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command tree as the issue asks for it: every command the issue lists exists and answers --help, every command
 * that shows records has -o, and no option anywhere takes a secret as its value.
 */
class CommandTreeTest {
    static final List<String> COMMANDS = List.of(
            "location create aws", "location create minio", "location create gcp", "location create azure",
            "location list", "location get", "location validate", "location delete",
            "cluster add", "cluster list", "cluster get", "cluster check", "cluster delete",
            "backup create", "backup list", "backup describe", "backup logs", "backup resources", "backup download",
            "backup delete", "backup verify", "backup diff",
            "restore create", "restore list", "restore describe", "restore logs", "restore plan",
            "schedule create", "schedule list", "schedule get", "schedule pause", "schedule resume", "schedule delete",
            "workspace create", "workspace list", "workspace get", "workspace delete", "workspace add-cluster",
            "workspace remove-cluster", "workspace backup", "workspace restore", "workspace backups",
            "workspace restores",
            "config set", "config get", "config unset", "completion");
    /** Commands that print text or a file, not records: they have no -o. */
    static final Set<String> WITHOUT_OUTPUT = Set.of("backup logs", "restore logs", "backup download", "location delete",
            "cluster delete", "backup delete", "schedule delete", "workspace delete", "config set", "config get",
            "config unset", "completion");

    static List<CommandLine> leaves(CommandLine line) {
        List<CommandLine> leaves = new ArrayList<>();
        for (CommandLine sub : line.getSubcommands().values()) {
            if (sub.getCommandName().equals("help")) {
                continue;
            }
            if (sub.getSubcommands().isEmpty()) {
                leaves.add(sub);
            } else {
                leaves.addAll(leaves(sub));
            }
        }
        return leaves;
    }

    static String path(CommandLine leaf) {
        return leaf.getCommandSpec().qualifiedName(" ").substring("lifeboat ".length());
    }

    @Test
    void everyCommandOfTheIssueExistsAndAnswersHelp() {
        CliHarness cli = new CliHarness(null);
        List<String> found = leaves(Lifeboat.commandLine(new CliHarness(null).io())).stream().map(CommandTreeTest::path).toList();
        assertEquals(Set.copyOf(COMMANDS), Set.copyOf(found));
        for (String command : COMMANDS) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            CliHarness.Result help = cli.run(args.toArray(String[]::new));
            assertEquals(0, help.exitCode(), command + ": " + help);
            assertTrue(help.out().startsWith("Usage: lifeboat " + command), command + ": " + help.out());
        }
    }

    @Test
    void everyCommandThatShowsRecordsHasTableJsonAndYaml() {
        for (CommandLine leaf : leaves(Lifeboat.commandLine(new CliHarness(null).io()))) {
            OptionSpec output = leaf.getCommandSpec().findOption("-o");
            if (WITHOUT_OUTPUT.contains(path(leaf))) {
                assertEquals(null, output, path(leaf));
                continue;
            }
            assertTrue(output != null, path(leaf) + " has -o");
            assertEquals("table", output.defaultValue(), path(leaf));
            assertTrue(output.completionCandidates() != null, path(leaf));
            List<String> formats = new ArrayList<>();
            output.completionCandidates().forEach(formats::add);
            assertEquals(List.of("table", "json", "yaml"), formats, path(leaf));
        }
    }

    /** A secret is read from a file or standard input: an option about one must end in -file. */
    @Test
    void noOptionTakesASecretAsItsValue() {
        List<String> secretWords = List.of("secret", "token", "password", "kubeconfig", "credentials", "key");
        int checked = 0;
        for (CommandLine leaf : leaves(Lifeboat.commandLine(new CliHarness(null).io()))) {
            for (OptionSpec option : leaf.getCommandSpec().options()) {
                String name = option.longestName();
                // a key's ID or ARN names a key and holds none of it
                boolean aboutASecret = secretWords.stream().anyMatch(name::contains) && !name.equals("--access-key-id")
                        && !name.equals("--kms-key-id");
                if (aboutASecret && option.arity().max() > 0) {
                    checked++;
                    boolean fromAFile = name.endsWith("-file") || name.equals("--kubeconfig");
                    assertTrue(fromAFile, path(leaf) + " " + name + " takes a secret as a value");
                    assertTrue(option.description().length == 0 || !option.description()[0].isEmpty(), name);
                }
            }
        }
        assertTrue(checked >= 6, "the secret options were found: " + checked);
    }
}
