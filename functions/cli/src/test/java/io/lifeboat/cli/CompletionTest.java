package io.lifeboat.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The completion scripts work in a real shell: bash sources the script and completes command names, subcommands and
 * options; the zsh script is the same functions behind zsh's bash compatibility, and parses (zsh itself is not on
 * this kind of machine, so bash checks its syntax).
 */
class CompletionTest {
    @TempDir
    Path folder;

    /** What bash completes after the words typed (the last one being completed), through the script's function. */
    String complete(Path script, String... words) throws IOException, InterruptedException {
        String line = String.join(" ", words);
        String program = "source " + script + "\n"
                + "COMP_WORDS=(" + line + ")\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE='" + line + "'\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "_complete_lifeboat\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        // compopt complains on stderr outside a real completion; only what the function answers is read
        Process bash = new ProcessBuilder("bash", "-c", program).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, bash.exitValue(), out);
        return out;
    }

    @Test
    void bashCompletesCommandsSubcommandsAndOptions() throws Exception {
        CliHarness.Result result = new CliHarness(null).run("completion", "bash");
        assertEquals(0, result.exitCode(), result.toString());
        Path script = folder.resolve("lifeboat.bash");
        Files.writeString(script, result.out());

        List<String> top = complete(script, "lifeboat", "\"\"").lines().toList();
        assertTrue(top.containsAll(List.of("location", "cluster", "backup", "restore", "schedule", "workspace", "config",
                "completion")), top.toString());
        assertEquals(List.of("backup"), complete(script, "lifeboat", "bac").lines().toList());
        List<String> backup = complete(script, "lifeboat", "backup", "\"\"").lines().toList();
        assertTrue(backup.containsAll(List.of("create", "list", "describe", "logs", "resources", "download", "delete")),
                backup.toString());
        List<String> options = complete(script, "lifeboat", "backup", "create", "--").lines().toList();
        assertTrue(options.containsAll(List.of("--cluster", "--location", "--namespaces", "--wait", "--expires",
                "--include-disks", "--server", "--project")), options.toString());
        List<String> formats = complete(script, "lifeboat", "backup", "list", "-o", "\"\"").lines().toList();
        assertTrue(formats.containsAll(List.of("table", "json", "yaml")), formats.toString());
        List<String> providers = complete(script, "lifeboat", "location", "create", "\"\"").lines().toList();
        assertTrue(providers.containsAll(List.of("aws", "minio", "gcp", "azure")), providers.toString());
    }

    /**
     * As a person uses it: an interactive bash in tmux, the script sourced, Tab pressed after partial words of
     * {@code ./lifeboat} (bash looks up a command's completion by the name after its last slash too).
     */
    @Test
    void tabCompletesInAnInteractiveBash() throws Exception {
        Path script = folder.resolve("lifeboat.bash");
        Files.writeString(script, new CliHarness(null).run("completion", "bash").out());
        String session = "lifeboat-completion-" + ProcessHandle.current().pid();
        tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "20", "bash --norc --noprofile");
        try {
            tmux("send-keys", "-t", session, "--", "source " + script, "Enter");
            tmux("send-keys", "-t", session, "--", "./lifeboat backup cre", "Tab");
            tmux("send-keys", "-t", session, "--", "--wa", "Tab");
            String screen = "";
            for (int i = 0; i < 100 && !screen.contains("./lifeboat backup create --wait"); i++) {
                Thread.sleep(100);
                screen = tmux("capture-pane", "-p", "-t", session);
            }
            assertTrue(screen.contains("./lifeboat backup create --wait"), screen);
        } finally {
            new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    static String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    @Test
    void theZshScriptUsesBashCompatibilityAndParses() throws Exception {
        CliHarness.Result result = new CliHarness(null).run("completion", "zsh");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().startsWith("#compdef lifeboat\n"), result.out());
        assertTrue(result.out().contains("autoload -U +X bashcompinit && bashcompinit"));
        assertTrue(result.out().contains("complete -F _complete_lifeboat -o default lifeboat"),
                "registered for lifeboat (bash tries the name after the last slash too: ./lifeboat)");
        Path script = folder.resolve("_lifeboat");
        Files.writeString(script, result.out());
        Process check = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), out);
        CliHarness.Result wrong = new CliHarness(null).run("completion", "fish");
        assertEquals(ExitCodes.USAGE, wrong.exitCode());
    }
}
