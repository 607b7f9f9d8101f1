package io.lifeboat.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.lifeboat.cli.CliHarness;
import io.lifeboat.local.LocalPorts;
import io.lifeboat.sandbox.kube.SampleApp;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command as its own process against local mode: the live progress bar in a real terminal (tmux), plain lines
 * through a pipe, a download larger than the command's heap, the launcher script and the jar copied elsewhere.
 */
@QuarkusTest
@QuarkusTestResource(LocalPorts.class)
class CliProcessTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern BAR = Pattern.compile("(\\S+) +\\[([#-]{30})] {2}(\\d+)/(\\d+|\\?) items {2}(\\S+) items/s {2}\\d+:\\d\\d {2}(\\w+)");
    /** A sandbox that answers every request 100 ms late: a backup of it takes long enough to be watched. */
    static SandboxCluster slow;

    @TestHTTPResource("/")
    URL base;
    CliHarness cli;
    String server;
    Path home;

    @BeforeAll
    static void startSlowSandbox() {
        slow = SandboxCluster.builder().name("cli-slow").latency(Duration.ofMillis(100)).start();
        SampleApp.install(slow.client());
    }

    @AfterAll
    static void stopSlowSandbox() {
        slow.close();
    }

    @BeforeEach
    void harness() throws Exception {
        server = "http://127.0.0.1:" + base.getPort();
        cli = new CliHarness(server);
        home = cli.home();
        if (cli.run("cluster", "get", "cli-slow").exitCode() != 0) {
            CliHarness.Result added = cli.run("cluster", "add", "cli-slow", "--kubeconfig", slow.kubeconfigFile().toString(),
                    "--allow-insecure-tls");
            assertEquals(0, added.exitCode(), added.toString());
        }
    }

    /** The shell command tmux runs: the CLI with a test HOME, then its exit code, then a pause to read the screen. */
    String inTerminal(String... args) {
        StringBuilder command = new StringBuilder("env HOME=" + home + " TERM=xterm-256color");
        for (String part : CliProcess.command(List.of(), args)) {
            command.append(' ').append('\'').append(part.replace("'", "'\\''")).append('\'');
        }
        return command + "; echo EXIT=$?; sleep 600";
    }

    @Test
    void onATerminalWaitShowsOneLiveBarRedrawnInPlace() throws Exception {
        List<List<String>> screens;
        try (Tmux tmux = Tmux.start("lifeboat-cli-bar", inTerminal("--server", server, "backup", "create", "cli-tty",
                "--cluster", "cli-slow", "--location", "local", "--wait"))) {
            screens = tmux.screensUntil("EXIT=", Duration.ofMinutes(3));
        }
        List<String> last = screens.get(screens.size() - 1);
        String text = String.join("\n", last);
        assertTrue(last.contains("EXIT=0"), text);
        List<String> bars = last.stream().filter(l -> BAR.matcher(l).matches()).toList();
        assertEquals(1, bars.size(), "one bar, redrawn in place, not one line per update:\n" + text);
        var bar = BAR.matcher(bars.get(0));
        assertTrue(bar.matches());
        assertEquals("cli-tty", bar.group(1));
        assertEquals("#".repeat(30), bar.group(2), "full when done");
        assertEquals(bar.group(3), bar.group(4), "all items done: " + bars.get(0));
        assertEquals("Completed", bar.group(6));
        assertTrue(text.contains("Backup 'cli-tty' Completed: "), text);
        for (List<String> screen : screens) {
            assertTrue(screen.stream().filter(l -> BAR.matcher(l).matches()).count() <= 1, "never two bars: " + screen);
        }
    }

    @Test
    void aWorkspaceRunShowsOneBarPerCluster() throws Exception {
        assertEquals(0, cli.run("workspace", "create", "cli-tty-fleet", "--clusters", "cli-slow,sandbox",
                "--namespaces", "demo").exitCode());
        List<List<String>> screens;
        try (Tmux tmux = Tmux.start("lifeboat-cli-bars", inTerminal("--server", server, "workspace", "backup",
                "cli-tty-fleet", "cli-tty-wb", "--location", "local", "--wait"))) {
            screens = tmux.screensUntil("EXIT=", Duration.ofMinutes(3));
        }
        List<String> last = screens.get(screens.size() - 1);
        String text = String.join("\n", last);
        assertTrue(last.contains("EXIT=0"), text);
        List<String> bars = last.stream().filter(l -> BAR.matcher(l).matches()).toList();
        assertEquals(2, bars.size(), text);
        assertTrue(bars.get(0).startsWith("cli-slow  [") && bars.get(0).endsWith("Completed"), text);
        assertTrue(bars.get(1).startsWith("sandbox   [") && bars.get(1).endsWith("Completed"), text);
        assertTrue(text.contains("Workspace backup 'cli-tty-wb' Completed:"), text);
        cli.run("workspace", "delete", "cli-tty-fleet");
    }

    @Test
    void throughAPipeWaitPrintsPlainLines() {
        CliProcess.Ran ran = CliProcess.run(home, home, CliProcess.command(List.of(), "--server", server, "backup", "create",
                "cli-piped", "--cluster", "cli-slow", "--location", "local", "--wait"));
        assertEquals(0, ran.exitCode(), ran.toString());
        assertFalse(ran.out().contains("\u001b") || ran.out().contains("\r"), "no terminal codes: " + ran);
        List<String> progress = ran.out().lines().filter(l -> l.startsWith("cli-piped  ")).toList();
        assertFalse(progress.isEmpty(), ran.out());
        assertTrue(progress.stream().allMatch(l -> l.matches("cli-piped  \\d+/(\\d+|\\?) items  \\S+ items/s  \\d+:\\d\\d  \\w+")),
                ran.out());
        assertTrue(progress.get(progress.size() - 1).endsWith("Completed"), ran.out());
        assertTrue(ran.out().contains("Backup 'cli-piped' Completed: "), ran.out());
    }

    /**
     * An archive three times the command's heap: 64 ConfigMaps of 1 MiB of random text (about 48 MiB gzipped),
     * downloaded by a process limited to -Xmx16m. It can only succeed if the download streams to the file.
     */
    @Test
    void aDownloadLargerThanTheHeapIsStreamedToTheFile() throws Exception {
        try (SandboxCluster big = SandboxCluster.builder().name("cli-big").start()) {
            big.createNamespace("big");
            Random random = new Random(14);
            for (int i = 0; i < 64; i++) {
                byte[] blob = new byte[768 * 1024];
                random.nextBytes(blob);
                big.client().configMaps().inNamespace("big").resource(new ConfigMapBuilder().withNewMetadata()
                        .withName("blob-" + i).endMetadata().addToData("blob", Base64.getEncoder().encodeToString(blob))
                        .build()).create();
            }
            assertEquals(0, cli.run("cluster", "add", "cli-big", "--kubeconfig", big.kubeconfigFile().toString(),
                    "--allow-insecure-tls").exitCode());
            CliHarness.Result backup = cli.run("backup", "create", "cli-big", "--cluster", "cli-big", "--location", "local",
                    "--namespaces", "big", "--wait", "-o", "json");
            assertEquals(0, backup.exitCode(), backup.toString());
            JsonNode record = JSON.readTree(backup.out());
            long size = record.at("/status/sizeBytes").asLong();
            assertTrue(size > 3 * 16L * 1024 * 1024, "the archive is over three times the heap: " + size);

            Path file = home.resolve("big.tar.gz");
            CliProcess.Ran ran = CliProcess.run(home, home, CliProcess.command(List.of("-Xmx16m", "-XX:+UseSerialGC"),
                    "--server", server, "backup", "download", "cli-big", "--file", file.toString()));
            assertEquals(0, ran.exitCode(), ran.toString());
            assertTrue(ran.out().contains("SHA-256 verified"), ran.out());
            assertEquals(size, Files.size(file));
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha256.update(buffer, 0, n);
                }
            }
            assertEquals(record.at("/status/archiveSha256").asText(), HexFormat.of().formatHex(sha256.digest()));
            Files.delete(file);
            assertEquals(0, cli.run("backup", "delete", "cli-big").exitCode());
            assertEquals(0, cli.run("cluster", "delete", "cli-big").exitCode());
        }
    }

    /** The jar needs nothing beside it: copied to an empty folder, it runs and reaches the API. */
    @Test
    void theJarCopiedAloneRuns() throws Exception {
        assumeTrue(Files.isRegularFile(CliProcess.jar()), "functions/cli/target/lifeboat.jar is built by package and "
                + "verify; this run stopped at test");
        Path elsewhere = Files.createTempDirectory("lifeboat-jar");
        Path copy = Files.copy(CliProcess.jar(), elsewhere.resolve("lifeboat.jar"));
        CliProcess.Ran ran = CliProcess.run(home, elsewhere, List.of(CliProcess.java(), "-jar", copy.toString(),
                "--server", server, "cluster", "list", "-o", "json"));
        assertEquals(0, ran.exitCode(), ran.toString());
        assertTrue(JSON.readTree(ran.out()).path("items").findValuesAsText("name").contains("sandbox"), ran.out());
        CliProcess.Ran version = CliProcess.run(home, elsewhere, List.of(CliProcess.java(), "-jar", copy.toString(), "--version"));
        assertTrue(version.out().startsWith("lifeboat "), version.toString());
    }

    /** ./lifeboat runs the built jar; without it, it says how to build it. */
    @Test
    void theLauncherScriptRunsTheJarOrSaysToBuildIt() throws Exception {
        Path checkout = Path.of(System.getProperty("lifeboat.checkout", "../..")).toAbsolutePath().normalize();
        Path script = checkout.resolve("lifeboat");
        assertTrue(Files.isExecutable(script), script + " is executable");
        Path elsewhere = Files.createTempDirectory("lifeboat-script");
        Path lone = Files.copy(script, elsewhere.resolve("lifeboat"), StandardCopyOption.COPY_ATTRIBUTES);
        CliProcess.Ran missing = CliProcess.run(home, elsewhere, List.of(lone.toString(), "--version"));
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("functions/cli/target/lifeboat.jar is not built yet; build it first")
                && missing.err().contains("./mvnw -B -q -DskipTests package"), missing.err());

        assumeTrue(Files.isRegularFile(CliProcess.jar()), "the jar is built by package and verify");
        CliProcess.Ran ran = CliProcess.run(home, home, List.of(script.toString(), "--server", server, "location", "get",
                "local"));
        assertEquals(0, ran.exitCode(), ran.toString());
        assertTrue(ran.out().contains("Phase:           Available"), ran.out());
    }
}
