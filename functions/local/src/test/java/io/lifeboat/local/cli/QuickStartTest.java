package io.lifeboat.local.cli;

import io.lifeboat.cli.CliHarness;
import io.lifeboat.local.LocalMode;
import io.lifeboat.local.LocalPorts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Quick start with the CLI", run as written: its second block, line by line, against local mode (with
 * this test's own ports and data folder in place of the defaults). Every command must succeed, and the restore into
 * sandbox-2 must end Completed, so the README cannot drift from what the command does.
 */
@QuarkusTest
@QuarkusTestResource(LocalPorts.class)
class QuickStartTest {
    @TestHTTPResource("/")
    URL base;
    @Inject
    LocalMode local;

    /** The commands of the section's second sh block, continuation lines joined, comments dropped. */
    static List<String> quickStartCommands() throws Exception {
        Path readme = Path.of(System.getProperty("lifeboat.checkout", "../.."), "README.md");
        String text = Files.readString(readme);
        int start = text.indexOf("## Quick start with the CLI");
        assertTrue(start >= 0, "the README has the section");
        String section = text.substring(start, text.indexOf("\n## ", start + 3));
        List<String> blocks = new ArrayList<>();
        for (int at = section.indexOf("```sh\n"); at >= 0; at = section.indexOf("```sh\n", at + 1)) {
            blocks.add(section.substring(at + 6, section.indexOf("```", at + 6)));
        }
        assertEquals(2, blocks.size(), "start local mode, then the commands");
        assertTrue(blocks.get(0).contains("LIFEBOAT_SANDBOXES=sandbox,sandbox-2"), blocks.get(0));
        List<String> commands = new ArrayList<>();
        for (String line : blocks.get(1).replace("\\\n", " ").split("\n")) {
            String command = line.replaceAll("\\s+#.*$", "").trim();
            if (!command.isEmpty()) {
                commands.add(command.replaceAll("\\s+", " "));
            }
        }
        return commands;
    }

    @Test
    void theReadmesQuickStartWorksAsWritten() throws Exception {
        CliHarness cli = new CliHarness("http://127.0.0.1:" + base.getPort());
        Path home = Path.of(ConfigProvider.getConfig().getValue("lifeboat.local.home", String.class));
        List<String> commands = quickStartCommands();
        assertTrue(commands.size() >= 6, commands.toString());
        String restoreDescribed = null;
        for (String command : commands) {
            String stdin = "";
            String line = command.replace("http://127.0.0.1:9000", local.s3().url());
            if (line.startsWith("mkdir -p .lifeboat/")) {
                Files.createDirectories(home.resolve(line.substring("mkdir -p .lifeboat/".length())));
                continue;
            }
            if (line.startsWith("echo ")) {
                stdin = line.substring(5, line.indexOf(" | ")) + "\n";
                line = line.substring(line.indexOf(" | ") + 3);
            }
            assertTrue(line.startsWith("./lifeboat ") && !line.contains("'") && !line.contains("\""), line);
            String[] args = line.substring("./lifeboat ".length()).split(" ");
            CliHarness.Result result = cli.runWithInput(stdin, args);
            assertEquals(0, result.exitCode(), command + "\n" + result);
            if (Arrays.asList(args).contains("describe") && args[0].equals("restore")) {
                restoreDescribed = result.out();
            }
        }
        assertTrue(restoreDescribed != null && restoreDescribed.contains("Phase:    Completed")
                && restoreDescribed.contains("Target cluster:            sandbox-2"), restoreDescribed);
        assertTrue(local.sandbox("sandbox-2").client().apps().deployments().inNamespace("demo").withName("web").get() != null,
                "the demo application is in sandbox-2");
    }
}
