package io.lifeboat.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.lifeboat.api.ApiRecord;
import io.lifeboat.archive.Layout;
import io.lifeboat.cli.CliHarness;
import io.lifeboat.local.LocalMode;
import io.lifeboat.local.LocalPorts;
import io.lifeboat.location.LocationService;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.sandbox.kube.SampleApp;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command of the {@code lifeboat} command line, run in this JVM (as {@code main} would run it) against the whole
 * local mode that {@code @QuarkusTest} starts: the real API, DynamoDB Local, s3proxy and sandbox clusters. Each test
 * checks what a user sees (the table, JSON and YAML), the exit code, and that secrets stay out of the output.
 * Names start with "cli-" so that the other tests of this shared local mode never meet them.
 */
@QuarkusTest
@QuarkusTestResource(LocalPorts.class)
class CliCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new YAMLMapper();

    @TestHTTPResource("/")
    URL base;
    @Inject
    LocalMode local;
    @Inject
    LocationService locations;
    @Inject
    ObjectStoreFactory stores;

    CliHarness cli;

    @BeforeEach
    void harness() {
        cli = new CliHarness("http://127.0.0.1:" + base.getPort());
    }

    CliHarness.Result ok(String... args) {
        CliHarness.Result result = cli.run(args);
        assertEquals(0, result.exitCode(), String.join(" ", args) + "\n" + result);
        return result;
    }

    static JsonNode json(CliHarness.Result result) throws Exception {
        return JSON.readTree(result.out());
    }

    static JsonNode yaml(CliHarness.Result result) throws Exception {
        return YAML.readTree(result.out());
    }

    /**
     * {@code lifeboat location create minio NAME} on {@code bucket} of the local S3, its secret key read from standard
     * input (followed by {@code input}'s end: "\n" or nothing), with the flags {@code more} added.
     */
    CliHarness.Result createMinio(String input, String name, String bucket, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("location", "create", "minio", name, "--bucket", bucket,
                "--s3-url", local.s3().url(), "--access-key-id", local.s3().accessKey(), "--secret-access-key-file", "-"));
        args.addAll(List.of(more));
        return cli.runWithInput(input, args.toArray(String[]::new));
    }

    /** A bucket on the local S3 (s3proxy keeps each bucket as a folder of its data folder). */
    Path bucket(String name) throws Exception {
        return Files.createDirectories(Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("lifeboat.local.home", String.class), "s3", name));
    }

    @Test
    void locations() throws Exception {
        bucket("cli-bucket");
        String secret = local.s3().secretKey();
        CliHarness.Result created = createMinio(secret + "\n", "cli-store", "cli-bucket");
        assertEquals(0, created.exitCode(), created.toString());
        assertTrue(created.out().startsWith("Location 'cli-store' created: Available\n"), created.out());
        assertTrue(created.out().contains("Credentials secret access key:  ***"), created.out());

        Path secretFile = Files.createTempFile("secret", "");
        Files.writeString(secretFile, secret);
        bucket("cli-bucket-2");
        JsonNode second = json(ok("location", "create", "minio", "cli-store-2", "--bucket", "cli-bucket-2", "--prefix", "p",
                "--s3-url", local.s3().url(), "--access-key-id", local.s3().accessKey(),
                "--secret-access-key-file", secretFile.toString(), "-o", "json"));
        assertEquals("Available", second.at("/status/phase").asText());
        assertEquals("***", second.at("/spec/credentials/secretAccessKey").asText());

        String table = ok("location", "list").out();
        assertTrue(table.lines().findFirst().orElse("").matches("NAME +PROVIDER +BUCKET +PREFIX +PHASE +REASON +LAST VALIDATED"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("cli-store-2 +minio +cli-bucket-2 +p +Available +- +\\d{4}-.* UTC \\(.*\\)")), table);
        JsonNode listed = json(ok("location", "list", "-o", "json"));
        assertTrue(listed.path("items").size() >= 3, listed.toString());
        JsonNode listedYaml = yaml(ok("location", "list", "-o", "yaml"));
        assertEquals(listed.path("items").size(), listedYaml.path("items").size());

        String shown = ok("location", "get", "cli-store").out();
        assertTrue(shown.contains("Bucket:") && shown.contains("cli-bucket") && shown.contains("Phase:           Available"), shown);
        assertEquals("cli-store", yaml(ok("location", "get", "cli-store", "-o", "yaml")).path("name").asText());
        assertTrue(ok("location", "validate", "cli-store").out().contains("Available"));

        // a bucket that does not exist: created, Unavailable, and validate exits 1
        CliHarness.Result missing = createMinio(secret, "cli-nobucket", "cli-not-there");
        assertEquals(0, missing.exitCode(), missing.toString());
        assertTrue(missing.out().startsWith("Location 'cli-nobucket' created: Unavailable (NoSuchBucket: "), missing.out());
        assertEquals(1, cli.run("location", "validate", "cli-nobucket").exitCode());

        // the API's field error, named with the flag that sets it
        CliHarness.Result invalid = cli.runWithInput(secret, "location", "create", "minio", "cli-bad", "--bucket",
                "cli-bucket-3", "--s3-url", "ftp://127.0.0.1:1", "--access-key-id", "k", "--secret-access-key-file", "-");
        assertEquals(1, invalid.exitCode(), invalid.toString());
        assertTrue(invalid.err().startsWith("Error: s3Url: ") && invalid.err().trim().endsWith("(--s3-url)"), invalid.err());
        CliHarness.Result noKey = cli.run("location", "create", "minio", "cli-bad", "--bucket", "cli-bucket-3",
                "--s3-url", local.s3().url());
        assertEquals(1, noKey.exitCode());
        assertTrue(noKey.err().contains("credentials") && noKey.err().contains("(--access-key-id, --secret-access-key-file)"),
                noKey.err());

        assertEquals("Location 'cli-nobucket' deleted.\n", ok("location", "delete", "cli-nobucket").out());
        CliHarness.Result gone = cli.run("location", "get", "cli-nobucket");
        assertEquals(1, gone.exitCode());
        assertEquals("Error: location 'cli-nobucket' does not exist in project 'default'\n", gone.err());
        for (CliHarness.Result r : List.of(created, missing, invalid, cli.run("location", "get", "cli-store", "-o", "json"))) {
            assertFalse(r.out().contains(secret) || r.err().contains(secret), "the secret key was printed: " + r);
        }
    }

    /**
     * The other providers, one flag per field: AWS S3 (the AWS SDK against the local S3) is Available; GCS and Azure,
     * which have no server here, are created with every field the API requires and shown Unavailable, their secrets
     * (read from files) never printed.
     */
    @Test
    void locationsOfEveryProvider() throws Exception {
        bucket("cli-aws-bucket");
        String secret = local.s3().secretKey();
        CliHarness.Result aws = cli.runWithInput(secret, "location", "create", "aws", "cli-aws", "--bucket", "cli-aws-bucket",
                "--region", "us-east-1", "--s3-url", local.s3().url(), "--force-path-style", "--access-key-id",
                local.s3().accessKey(), "--secret-access-key-file", "-");
        assertEquals(0, aws.exitCode(), aws.toString());
        assertTrue(aws.out().startsWith("Location 'cli-aws' created: Available\n"), aws.out());

        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Path key = Files.createTempFile("service-account", ".json");
        Files.writeString(key, JSON.createObjectNode().put("type", "service_account").put("project_id", "p")
                .put("private_key_id", "cli-key-id").put("client_id", "1").put("private_key", pem).put("client_email", "sa@p.iam.gserviceaccount.com")
                .put("token_uri", "http://127.0.0.1:1/token").toString());
        CliHarness.Result gcp = ok("location", "create", "gcp", "cli-gcs", "--bucket", "cli-gcs-bucket",
                "--service-account-key-file", key.toString(), "--endpoint", "http://127.0.0.1:1", "--prefix", "team");
        assertTrue(gcp.out().startsWith("Location 'cli-gcs' created: Unavailable (ConnectionRefused: "), gcp.out());
        assertTrue(gcp.out().contains("JSON credentials:  ***"), gcp.out());
        assertFalse(gcp.out().contains("PRIVATE KEY") || gcp.out().contains("cli-key-id"), gcp.out());

        Path clientSecret = Files.createTempFile("client-secret", "");
        Files.writeString(clientSecret, "cli-azure-client-secret\n");
        String guid = "11111111-2222-3333-4444-555555555555";
        JsonNode azure = json(ok("location", "create", "azure", "cli-azure", "--container", "backups", "--storage-account",
                "cliaccount", "--resource-group", "cli-rg", "--tenant-id", guid, "--client-id", guid, "--subscription-id",
                guid, "--client-secret-file", clientSecret.toString(), "--endpoint", "https://127.0.0.1:1",
                "--authority-host", "https://127.0.0.1:1/", "--sku", "Standard_LRS", "-o", "json"));
        assertEquals("backups", azure.at("/spec/container").asText());
        assertEquals("***", azure.at("/spec/clientSecret").asText());
        assertEquals("Unavailable", azure.at("/status/phase").asText());
        String shown = ok("location", "get", "cli-azure").out();
        assertTrue(shown.contains("Storage account:  cliaccount") && shown.contains("Client secret:    ***"), shown);
        assertFalse(shown.contains("cli-azure-client-secret"), shown);

        CliHarness.Result sts = ok("location", "create", "aws", "cli-sts", "--bucket", "cli-sts-bucket", "--region",
                "us-east-1", "--role-arn", "arn:aws:iam::123456789012:role/lifeboat", "--external-id", "cli-external",
                "-o", "yaml");
        assertEquals("arn:aws:iam::123456789012:role/lifeboat", yaml(sts).at("/spec/sts/roleArn").asText());
        for (String name : List.of("cli-aws", "cli-gcs", "cli-azure", "cli-sts")) {
            ok("location", "delete", name);
        }
    }

    @Test
    void clusters() throws Exception {
        try (SandboxCluster extra = SandboxCluster.builder().name("cli-extra").start()) {
            Path kubeconfig = extra.kubeconfigFile(Files.createTempFile("kubeconfig", ".yaml"));
            CliHarness.Result refused = cli.run("cluster", "add", "cli-extra", "--kubeconfig", kubeconfig.toString());
            assertEquals(1, refused.exitCode());
            assertTrue(refused.err().startsWith("Error: allowInsecureTls: must be true") 
                    && refused.err().trim().endsWith("(--allow-insecure-tls)"), refused.err());

            CliHarness.Result added = ok("cluster", "add", "cli-extra", "--kubeconfig", kubeconfig.toString(),
                    "--allow-insecure-tls");
            assertTrue(added.out().startsWith("Cluster 'cli-extra' added: Healthy"), added.out());
            assertTrue(added.out().contains("Insecure TLS:  yes"), added.out());
            String table = ok("cluster", "list").out();
            assertTrue(table.startsWith("NAME "), table);
            assertTrue(table.lines().anyMatch(l -> l.startsWith("cli-extra ") && l.contains(extra.url())
                    && l.contains("Healthy") && l.contains("v1.")), table);
            assertTrue(json(ok("cluster", "list", "-o", "json")).path("items").size() >= 3);
            assertEquals("Healthy", yaml(ok("cluster", "get", "cli-extra", "-o", "yaml")).at("/status/health").asText());
            assertTrue(ok("cluster", "get", "cli-extra").out().contains("Health:      Healthy"));
            assertTrue(ok("cluster", "check", "cli-extra").out().contains("Healthy"));
            for (CliHarness.Result r : List.of(added, ok("cluster", "get", "cli-extra", "-o", "json"))) {
                assertFalse(r.out().contains(extra.token()), "the kubeconfig's token was printed");
            }
            extra.close();
            CliHarness.Result down = cli.run("cluster", "check", "cli-extra");
            assertEquals(1, down.exitCode(), "a cluster that is not Healthy: " + down);
            assertEquals("Cluster 'cli-extra' deleted.\n", ok("cluster", "delete", "cli-extra").out());
            assertEquals(1, cli.run("cluster", "get", "cli-extra").exitCode());
        }
    }

    @Test
    void backups() throws Exception {
        CliHarness.Result waited = ok("backup", "create", "cli-b1", "--cluster", "sandbox", "--location", "local",
                "--namespaces", "demo", "--expires", "7d", "--wait");
        List<String> lines = waited.out().lines().toList();
        assertEquals("Waiting for backup 'cli-b1' to finish (Ctrl-C stops the waiting, not the backup).", lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.matches("cli-b1  (\\d+)/\\1 items  \\S+ items/s  \\d+:\\d\\d  Completed")),
                "a plain progress line, no bar: " + waited.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("Backup 'cli-b1' Completed: (\\d+) of \\1 items, .*, 0 warnings, 0 errors\\.")),
                waited.out());
        assertFalse(waited.out().contains("\u001b") || waited.out().contains("\r"), "no terminal codes in a pipe");

        String table = ok("backup", "list", "--cluster", "sandbox").out();
        assertTrue(table.startsWith("NAME "), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("cli-b1 +Completed +0 +0 +(\\d+)/\\1 +.* sandbox +local +\\d{4}-.* \\((.* ago|just now)\\) +in 6d")),
                table);
        JsonNode list = json(ok("backup", "list", "-o", "json"));
        assertTrue(list.path("items").findValuesAsText("name").contains("cli-b1"));
        assertTrue(yaml(ok("backup", "list", "--cluster", "sandbox-2", "-o", "yaml")).path("items").findValuesAsText("name")
                .stream().noneMatch("cli-b1"::equals), "--cluster filters");

        String described = ok("backup", "describe", "cli-b1").out();
        for (String expected : List.of("Name:     cli-b1", "Phase:    Completed", "Namespaces:                demo",
                "Location:                  local", "Resources (", "deployments.apps", "Warnings (0):", "Errors (0):",
                "Volume snapshots (0):", "Archive SHA-256:")) {
            assertTrue(described.contains(expected), expected + " in\n" + described);
        }
        String details = ok("backup", "describe", "cli-b1", "--details").out();
        assertTrue(details.contains("Resource list:") && details.contains("apps/v1/Deployment (2):")
                && details.contains("    - demo/web"), details);
        JsonNode describedJson = json(ok("backup", "describe", "cli-b1", "-o", "json", "--details"));
        assertEquals("Completed", describedJson.at("/status/phase").asText());
        assertTrue(describedJson.path("resources").has("apps/v1/Deployment"), describedJson.toString());

        assertTrue(ok("backup", "logs", "cli-b1").out().contains("backup cli-b1 Completed"));
        String resources = ok("backup", "resources", "cli-b1").out();
        assertTrue(resources.contains("apps/v1/Deployment (2):\n  - demo/api\n  - demo/web\n"), resources);
        assertTrue(json(ok("backup", "resources", "cli-b1", "-o", "json")).path("v1/Secret").size() == 1);

        Path file = Files.createTempDirectory("download").resolve("cli-b1.tar.gz");
        CliHarness.Result downloaded = ok("backup", "download", "cli-b1", "--file", file.toString());
        assertTrue(downloaded.out().startsWith("Backup 'cli-b1' downloaded to " + file) && downloaded.out().contains("SHA-256 verified"),
                downloaded.out());
        byte[] stored;
        try (ObjectStore store = stores.open(locations.get("default", "local"));
             InputStream in = store.download(Layout.backupObject("", "cli-b1", Layout.BackupFile.TARBALL))) {
            stored = in.readAllBytes();
        }
        assertTrue(java.util.Arrays.equals(stored, Files.readAllBytes(file)), "the file is the stored archive");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "it holds the cluster's Secrets: readable by its owner only");
        CliHarness.Result again = cli.run("backup", "download", "cli-b1", "--file", file.toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("exists: give --force"), again.err());
        ok("backup", "download", "cli-b1", "--file", file.toString(), "--force");
        try (var folder = Files.list(file.getParent())) {
            assertEquals(List.of(file), folder.toList(), "no part file left behind");
        }

        CliHarness.Result bad = cli.run("backup", "create", "cli-bad", "--cluster", "sandbox", "--location", "local",
                "--expires", "2020-01-01");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().startsWith("Error: expiresAt: ") && bad.err().trim().endsWith("(--expires)"), bad.err());
        CliHarness.Result badNamespace = cli.run("backup", "create", "cli-bad", "--cluster", "sandbox", "--location",
                "local", "--namespaces", "ok,Not_Valid");
        assertTrue(badNamespace.err().startsWith("Error: namespaces[1]: 'Not_Valid'") 
                && badNamespace.err().trim().endsWith("(--namespaces)"), badNamespace.err());
        CliHarness.Result unknown = cli.run("backup", "create", "cli-bad", "--cluster", "nope", "--location", "local");
        assertEquals(1, unknown.exitCode());
        assertEquals("Error: cluster 'nope' does not exist in project 'default'\n", unknown.err());

        CliHarness.Result started = ok("backup", "create", "cli-b2", "--cluster", "sandbox", "--location", "local",
                "--namespaces", "demo");
        assertEquals("Backup 'cli-b2' started (New).\nFollow it: lifeboat backup describe cli-b2 (or start it with --wait).\n",
                started.out());
        assertEquals("Completed", ApiRecord.awaitPhase("/v1/projects/default/backups/cli-b2").phase());
        assertEquals("Backup 'cli-b2' deleted.\n", ok("backup", "delete", "cli-b2").out());
        assertEquals(1, cli.run("backup", "describe", "cli-b2").exitCode());
    }

    @Test
    void restores() throws Exception {
        ok("backup", "create", "cli-for-restore", "--cluster", "sandbox", "--location", "local", "--namespaces", "demo",
                "--wait");
        CliHarness.Result restored = ok("restore", "create", "cli-r1", "--from-backup", "cli-for-restore", "--to-cluster",
                "sandbox-2", "--namespace-mapping", "demo=cli-demo", "--wait");
        assertTrue(restored.out().lines().anyMatch(l -> l.matches("Restore 'cli-r1' Completed: (\\d+) of \\1 items \\(created \\d+, "
                + "updated 0, skipped \\d+\\), 0 warnings, 0 errors\\.")), restored.out());
        var target = local.sandbox("sandbox-2").client();
        for (String deployment : SampleApp.DEPLOYMENTS) {
            assertTrue(target.apps().deployments().inNamespace("cli-demo").withName(deployment).get() != null, deployment);
        }

        // a differing object left as it is: a warning of its namespace
        target.configMaps().inNamespace("cli-demo").withName("web-config")
                .edit(cm -> { cm.getData().put("changed", "by hand"); return cm; });
        CliHarness.Result warned = ok("restore", "create", "cli-r2", "--from-backup", "cli-for-restore", "--to-cluster",
                "sandbox-2", "--namespace-mapping", "demo=cli-demo", "--existing", "none", "--selector", SampleApp.PART_OF_LABEL + "=demo",
                "--wait", "-o", "json");
        JsonNode record = json(warned);
        assertEquals("Completed", record.at("/status/phase").asText(), warned.toString());
        assertTrue(record.at("/status/warnings").asInt() >= 1, record.toString());
        assertTrue(warned.err().contains("Waiting for restore 'cli-r2'"), "progress goes to stderr with -o json");
        String described = ok("restore", "describe", "cli-r2").out();
        for (String expected : List.of("Name:     cli-r2", "Backup:                    cli-for-restore",
                "Target cluster:            sandbox-2", "Namespace mapping:         demo=cli-demo",
                "Label selector:            " + SampleApp.PART_OF_LABEL + "=demo", "Existing objects:          none", "Warnings (", "  Namespaces:",
                "    cli-demo:", "Errors (0):")) {
            assertTrue(described.contains(expected), expected + " in\n" + described);
        }
        assertTrue(ok("restore", "describe", "cli-r2", "--details").out().contains("    cli-demo:"));
        assertEquals("cli-r2", yaml(ok("restore", "describe", "cli-r2", "-o", "yaml")).path("name").asText());

        String table = ok("restore", "list", "--cluster", "sandbox-2").out();
        assertTrue(table.startsWith("NAME "), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("cli-r1 +cli-for-restore +sandbox-2 +Completed +(\\d+)/\\1 +0 +0 +.*")), table);
        assertTrue(json(ok("restore", "list", "-o", "json")).path("items").findValuesAsText("name").contains("cli-r1"));
        assertTrue(ok("restore", "logs", "cli-r1").out().contains("restore cli-r1 of backup cli-for-restore"));

        target.storage().v1().storageClasses().resource(new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder()
                .withNewMetadata().withName("cli-standard").endMetadata().withProvisioner("example.com/none").build())
                .createOr(existing -> existing.update());
        CliHarness.Result generated = ok("restore", "create", "--from-backup", "cli-for-restore", "--to-cluster",
                "sandbox-2", "--namespace-mapping", "demo=cli-demo-3", "--storage-class-mapping",
                SampleApp.STORAGE_CLASS + "=cli-standard", "-o", "json");
        String name = json(generated).path("name").asText();
        assertTrue(name.startsWith("cli-for-restore-"), name);
        assertEquals("Completed", ApiRecord.awaitPhase("/v1/projects/default/restores/" + name).phase());
        assertEquals("cli-standard", target.persistentVolumeClaims().inNamespace("cli-demo-3")
                .withName(SampleApp.PERSISTENT_VOLUME_CLAIM).get().getSpec().getStorageClassName());

        CliHarness.Result policy = cli.run("restore", "create", "--from-backup", "cli-for-restore", "--to-cluster",
                "sandbox-2", "--existing", "overwrite");
        assertEquals(1, policy.exitCode());
        assertTrue(policy.err().startsWith("Error: existingResourcePolicy: ") && policy.err().trim().endsWith("(--existing)"),
                policy.err());
    }

    @Test
    void schedules() throws Exception {
        CliHarness.Result custom = ok("schedule", "create", "cli-nightly", "--cluster", "sandbox", "--location", "local",
                "--hour", "3", "--minute", "0", "--time-zone", "Europe/Paris", "--retention-days", "7");
        assertTrue(custom.out().startsWith("Schedule 'cli-nightly' created; its next backup: "), custom.out());
        assertTrue(custom.out().contains("When:                      cron 0 3 * * * (Europe/Paris)"), custom.out());
        JsonNode preset = json(ok("schedule", "create", "cli-weekly", "--cluster", "sandbox", "--location", "local",
                "--preset", "weekly", "--retention-days", "30", "--namespaces", "demo", "-o", "json"));
        assertEquals("weekly", preset.at("/spec/schedule/preset").asText());
        assertEquals("Active", preset.at("/status/phase").asText());

        String table = ok("schedule", "list").out();
        assertTrue(table.startsWith("NAME "), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("cli-weekly +cluster sandbox +local +weekly \\(UTC\\) +Active +.*\\(in .*\\) +- +30d")),
                table);
        assertTrue(yaml(ok("schedule", "list", "-o", "yaml")).path("items").size() >= 2);
        assertTrue(ok("schedule", "get", "cli-nightly").out().contains("Retention:                 7 days"));
        assertEquals("Schedule 'cli-nightly' is Paused.\n", ok("schedule", "pause", "cli-nightly").out());
        assertEquals("Paused", json(ok("schedule", "get", "cli-nightly", "-o", "json")).at("/status/phase").asText());
        assertTrue(ok("schedule", "resume", "cli-nightly").out().startsWith("Schedule 'cli-nightly' is Active; next backup "));

        CliHarness.Result hour = cli.run("schedule", "create", "cli-bad", "--cluster", "sandbox", "--location", "local",
                "--hour", "25", "--retention-days", "7");
        assertEquals(1, hour.exitCode());
        assertEquals("Error: schedule.custom.hour: '25' is out of range 0-23 (--hour)\n", hour.err());
        CliHarness.Result zone = cli.run("schedule", "create", "cli-bad", "--cluster", "sandbox", "--location", "local",
                "--preset", "weekly", "--time-zone", "Mars/Olympus", "--retention-days", "7");
        assertEquals("Error: timeZone: 'Mars/Olympus' is not an IANA time zone (--time-zone)\n", zone.err());

        // retention by count: the rules given, shown, and a bad count named by its flag
        String kept = ok("schedule", "create", "cli-gfs", "--cluster", "sandbox", "--location", "local", "--preset",
                "weekly", "--retention-days", "7", "--keep-last", "3", "--keep-daily", "7", "--keep-monthly", "12",
                "--verify-after").out();
        assertTrue(kept.contains("Also kept:                 the newest Completed backup; last 3, daily 7, monthly 12\n"),
                kept);
        assertTrue(kept.contains("Verify after:              yes\n"), kept);
        JsonNode keep = json(ok("schedule", "get", "cli-gfs", "-o", "json")).at("/spec/keep");
        assertEquals(List.of(3, 7, 0, 12), List.of(keep.path("last").asInt(), keep.path("daily").asInt(),
                keep.path("weekly").asInt(), keep.path("monthly").asInt()));
        assertTrue(ok("schedule", "list").out().lines().anyMatch(l -> l.matches("cli-gfs +.* 7d \\+ last 3, daily 7, monthly 12")));
        assertTrue(ok("schedule", "get", "cli-nightly").out().contains("Also kept:                 the newest Completed backup\n"));
        CliHarness.Result negative = cli.run("schedule", "create", "cli-bad", "--cluster", "sandbox", "--location",
                "local", "--preset", "weekly", "--retention-days", "7", "--keep-daily", "-1");
        assertEquals(1, negative.exitCode(), negative.toString());
        assertEquals("Error: keep.daily: must be from 0 to 1000 (--keep-daily)\n", negative.err());
        CliHarness.Result none = cli.run("schedule", "create", "cli-bad", "--cluster", "sandbox", "--location",
                "local", "--preset", "weekly", "--retention-days", "7", "--keep-last", "0");
        assertTrue(none.err().startsWith("Error: keep: ")
                && none.err().endsWith("(--keep-last, --keep-daily, --keep-weekly, --keep-monthly)\n"), none.err());
        assertEquals(64, cli.run("schedule", "create", "cli-bad", "--cluster", "sandbox", "--location", "local",
                "--preset", "weekly", "--retention-days", "7", "--keep-weekly", "four").exitCode(), "not a number: usage");
        assertEquals(1, cli.run("schedule", "get", "cli-bad").exitCode(), "nothing was created");
        ok("schedule", "delete", "cli-gfs");

        assertEquals("Schedule 'cli-weekly' deleted.\n", ok("schedule", "delete", "cli-weekly").out());
        ok("schedule", "delete", "cli-nightly");
        assertEquals(1, cli.run("schedule", "get", "cli-weekly").exitCode());
    }

    /**
     * On a sandbox of its own: a backup verified (Passed, shown by describe), a second one after a ConfigMap changed,
     * the diff of the two (the change and its patch), and a dry run of the first backup into the cluster, which
     * plans to leave the changed ConfigMap as a conflict and writes nothing.
     */
    @Test
    void verifyDiffAndDryRun() throws Exception {
        try (SandboxCluster own = SandboxCluster.builder().name("cli-diffed").start()) {
            SampleApp.install(own.client());
            ok("cluster", "add", "cli-diffed", "--kubeconfig", own.kubeconfigFile().toString(), "--allow-insecure-tls");
            ok("backup", "create", "cli-v1", "--cluster", "cli-diffed", "--location", "local", "--namespaces", "demo",
                    "--wait");

            CliHarness.Result verified = ok("backup", "verify", "cli-v1", "--wait");
            assertTrue(verified.out().startsWith("Waiting for the verification of backup 'cli-v1'"), verified.out());
            assertTrue(verified.out().lines().anyMatch(l -> l.matches(
                    "Backup 'cli-v1' verification Passed: [1-9]\\d* items read, 0 problems\\.")), verified.out());
            String described = ok("backup", "describe", "cli-v1").out();
            assertTrue(described.contains("Verification:\n  Phase:       Passed\n"), described);
            assertTrue(described.contains("  Problems:    0\n"), described);
            CliHarness.Result againJson = ok("backup", "verify", "cli-v1", "--wait", "-o", "json");
            assertEquals("Passed", json(againJson).at("/status/verification/phase").asText(), againJson.toString());
            assertTrue(againJson.err().contains("Backup 'cli-v1' verification Passed"), "progress to stderr with -o json");
            assertEquals("Verification of backup 'cli-v1' started (Pending).\nSee its outcome: lifeboat backup describe "
                    + "cli-v1 (or start it with --wait).\n", ok("backup", "verify", "cli-v1").out());
            CliHarness.Result missing = cli.run("backup", "verify", "cli-nope");
            assertEquals(1, missing.exitCode());
            assertEquals("Error: backup 'cli-nope' does not exist in project 'default'\n", missing.err());

            own.client().configMaps().inNamespace("demo").withName("web-config")
                    .edit(cm -> { cm.getData().put("changed", "by hand"); return cm; });
            ok("backup", "create", "cli-v2", "--cluster", "cli-diffed", "--location", "local", "--namespaces", "demo",
                    "--verify-after", "--wait");
            assertTrue(json(ok("backup", "describe", "cli-v2", "-o", "json")).at("/spec/verifyAfter").asBoolean());

            String diff = ok("backup", "diff", "cli-v1", "cli-v2").out();
            assertTrue(diff.startsWith("From backup 'cli-v1' to 'cli-v2': 0 added, 0 removed, 1 changed, "), diff);
            assertTrue(diff.lines().anyMatch(l -> l.matches("configmaps +0 +0 +1 +1")), diff);
            assertTrue(diff.contains("Changed (1):\n  ~ configmaps demo/web-config\n"), diff);
            assertFalse(diff.contains("add /data/changed"), "patches only with --details: " + diff);
            String detailed = ok("backup", "diff", "cli-v1", "cli-v2", "--details").out();
            assertTrue(detailed.contains("  ~ configmaps demo/web-config\n    add /data/changed \"by hand\"\n"), detailed);
            JsonNode diffJson = json(ok("backup", "diff", "cli-v1", "cli-v2", "-o", "json"));
            assertEquals(1, diffJson.at("/summary/changed").asInt());
            String same = ok("backup", "diff", "cli-v1", "cli-v1").out();
            assertTrue(same.matches("From backup 'cli-v1' to 'cli-v1': 0 added, 0 removed, 0 changed, [1-9]\\d* unchanged\\.\\n"),
                    same);

            CliHarness.Result dry = ok("restore", "create", "cli-dry", "--from-backup", "cli-v1", "--to-cluster",
                    "cli-diffed", "--namespaces", "demo", "--dry-run", "--wait");
            assertTrue(dry.out().lines().anyMatch(l -> l.matches("A dry run: nothing was written to the cluster\\. would "
                    + "create \\d+, update 0, leave 3 that differ, skip [1-9]\\d* identical, refuse \\d+, exclude \\d+\\.")),
                    dry.out());
            assertTrue(dry.out().contains("Each item, and why: lifeboat restore plan cli-dry"), dry.out());
            assertEquals("by hand", own.client().configMaps().inNamespace("demo").withName("web-config").get().getData()
                    .get("changed"), "the dry run wrote nothing");
            String restoreDescribed = ok("restore", "describe", "cli-dry").out();
            assertTrue(restoreDescribed.contains("Dry run:                   yes (nothing is written to the cluster)"),
                    restoreDescribed);
            assertTrue(restoreDescribed.contains("Plan:") && restoreDescribed.contains("leave 3 that differ"),
                    restoreDescribed);
            String plan = ok("restore", "plan", "cli-dry").out();
            assertTrue(plan.lines().findFirst().orElse("").matches("Dry run 'cli-dry' of backup 'cli-v1' into 'cli-diffed' "
                    + "\\(existing objects: none\\): would create \\d+, update 0, leave 3 that differ, .*"), plan);
            assertTrue(plan.lines().anyMatch(l -> l.matches("configmaps +demo +web-config +conflict +.*")), plan);
            assertTrue(plan.lines().anyMatch(l -> l.matches("configmaps +demo +api-config +identical +.*")), plan);
            assertTrue(ok("restore", "plan", "cli-dry", "--details").out()
                    .contains("conflict configmaps demo/web-config:\n  remove /data/changed\n"));
            assertEquals("cli-v1", json(ok("restore", "plan", "cli-dry", "-o", "json")).path("backup").asText());
            CliHarness.Result notDry = cli.run("restore", "plan", "cli-nope");
            assertEquals(1, notDry.exitCode());

            ok("cluster", "delete", "cli-diffed");
        }
    }

    /**
     * A location made with {@code --kms-key-id} encrypts: describe says so for the location and each backup, and a diff
     * of two encrypted backups reads both as they decrypt. One made with {@code --immutability-*} on s3proxy (which has
     * no Object Lock) is created and says why it is unavailable; a bad mode names its flag.
     */
    @Test
    void encryptedAndLockedLocations() throws Exception {
        bucket("cli-sealed");
        try (SandboxCluster own = SandboxCluster.builder().name("cli-sealed").start()) {
            SampleApp.install(own.client());
            ok("cluster", "add", "cli-sealed", "--kubeconfig", own.kubeconfigFile().toString(), "--allow-insecure-tls");
            String secret = local.s3().secretKey();
            CliHarness.Result created = createMinio(secret + "\n", "cli-sealed", "cli-sealed",
                    "--kms-key-id", "alias/lifeboat-local");
            assertEquals(0, created.exitCode(), created.toString());
            assertTrue(created.out().startsWith("Location 'cli-sealed' created: Available\n"), created.out());
            assertTrue(created.out().contains("alias/lifeboat-local"), created.out());

            ok("backup", "create", "cli-sealed-1", "--cluster", "cli-sealed", "--location", "cli-sealed",
                    "--namespaces", "demo", "--wait");
            String described = ok("backup", "describe", "cli-sealed-1").out();
            assertTrue(described.lines().anyMatch(l -> l.matches("Encrypted: +yes, data key wrapped by KMS key "
                    + "alias/lifeboat-local \\(Velero cannot read it\\); the tarball inside: .*, SHA-256 [0-9a-f]{64}")),
                    described);
            assertTrue(described.lines().anyMatch(l -> l.matches("Locked: +no")), described);

            own.client().configMaps().inNamespace("demo").withName("web-config")
                    .edit(cm -> { cm.getData().put("changed", "sealed"); return cm; });
            ok("backup", "create", "cli-sealed-2", "--cluster", "cli-sealed", "--location", "cli-sealed",
                    "--namespaces", "demo", "--wait");
            String diff = ok("backup", "diff", "cli-sealed-1", "cli-sealed-2", "--details").out();
            assertTrue(diff.startsWith("From backup 'cli-sealed-1' to 'cli-sealed-2': 0 added, 0 removed, 1 changed, "),
                    diff);
            assertTrue(diff.contains("  ~ configmaps demo/web-config\n    add /data/changed \"sealed\"\n"), diff);

            bucket("cli-locked");
            CliHarness.Result locked = createMinio(secret + "\n", "cli-locked", "cli-locked",
                    "--immutability-days", "7", "--immutability-mode", "compliance");
            assertEquals(0, locked.exitCode(), locked.toString());
            assertTrue(locked.out().startsWith("Location 'cli-locked' created: Unavailable (ImmutabilityNotEnabled: "),
                    locked.out());
            JsonNode lockedJson = json(ok("location", "get", "cli-locked", "-o", "json"));
            assertEquals(7, lockedJson.at("/spec/immutability/days").asInt(), lockedJson.toString());
            assertEquals("compliance", lockedJson.at("/spec/immutability/mode").asText(), lockedJson.toString());
            CliHarness.Result badMode = createMinio(secret + "\n", "cli-badmode", "cli-locked",
                    "--immutability-days", "7", "--immutability-mode", "forever");
            assertEquals(1, badMode.exitCode(), badMode.toString());
            assertEquals("Error: immutability.mode: must be governance or compliance (--immutability-mode)\n",
                    badMode.err());
            CliHarness.Result badSnapshots = createMinio(secret + "\n", "cli-badsnap", "cli-locked",
                    "--snapshot-mode", "native");
            assertEquals(1, badSnapshots.exitCode(), badSnapshots.toString());
            assertTrue(badSnapshots.err().startsWith("Error: snapshotMode: 'native' needs a cloud's disks")
                    && badSnapshots.err().endsWith("(--snapshot-mode)\n"), badSnapshots.err());

            ok("backup", "delete", "cli-sealed-1");
            ok("backup", "delete", "cli-sealed-2");
            ok("location", "delete", "cli-locked");
            ok("cluster", "delete", "cli-sealed");
        }
    }

    /** On two sandboxes of its own, so that restoring one's backup into the other changes no shared cluster. */
    @Test
    void workspaces() throws Exception {
        try (SandboxCluster east = SandboxCluster.builder().name("cli-east").start();
             SandboxCluster west = SandboxCluster.builder().name("cli-west").start()) {
            SampleApp.install(east.client());
            ok("cluster", "add", "cli-east", "--kubeconfig", east.kubeconfigFile().toString(), "--allow-insecure-tls");
            ok("cluster", "add", "cli-west", "--kubeconfig", west.kubeconfigFile().toString(), "--allow-insecure-tls");

            CliHarness.Result created = ok("workspace", "create", "cli-fleet", "--clusters", "cli-east", "--namespaces", "demo");
            assertTrue(created.out().contains("Clusters:    cli-east"), created.out());
            assertEquals("Workspace 'cli-fleet': cli-east, cli-west.\n", ok("workspace", "add-cluster", "cli-fleet", "cli-west").out());
            assertTrue(ok("workspace", "list").out().lines().anyMatch(l -> l.matches("cli-fleet +cli-east, cli-west +demo +.*")));
            assertEquals(List.of("cli-east", "cli-west"), JSON.convertValue(
                    json(ok("workspace", "get", "cli-fleet", "-o", "json")).at("/spec/clusters"), List.class));
            assertTrue(ok("workspace", "get", "cli-fleet").out().contains("Namespaces:  demo"));

            CliHarness.Result backup = ok("workspace", "backup", "cli-fleet", "cli-wb", "--location", "local", "--wait");
            String out = backup.out();
            assertTrue(out.contains("one line per cluster"), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("cli-east  (\\d+)/\\1 items .* Completed")), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("cli-west  (\\d+)/\\1 items .* Completed")), out);
            assertTrue(out.contains("Workspace backup 'cli-wb' Completed:\n  cli-east: Completed, backup 'cli-wb-cli-east'\n"
                    + "  cli-west: Completed, backup 'cli-wb-cli-west'\n"), out);
            assertTrue(ok("workspace", "backups", "cli-fleet").out().lines()
                    .anyMatch(l -> l.matches("cli-wb +Completed +cli-east Completed, cli-west Completed +.*")));
            String one = ok("workspace", "backups", "cli-fleet", "cli-wb").out();
            assertTrue(one.contains("Namespaces:     demo")
                    && one.lines().anyMatch(l -> l.matches("  cli-west +cli-wb-cli-west +Completed +.*")), one);

            CliHarness.Result restore = ok("workspace", "restore", "cli-fleet", "cli-wr", "--from-backup", "cli-wb",
                    "--cluster-mapping", "cli-east=cli-west,cli-west=cli-east", "--namespace-mapping", "demo=cli-ws-demo",
                    "--wait", "-o", "yaml");
            JsonNode run = yaml(restore);
            assertEquals("Completed", run.at("/status/phase").asText(), restore.toString());
            assertEquals(2, run.at("/status/children").size());
            assertTrue(restore.err().contains("Workspace restore 'cli-wr' Completed:"), restore.err());
            assertEquals(SampleApp.DEPLOYMENTS.size(), west.client().apps().deployments().inNamespace("cli-ws-demo").list()
                    .getItems().size(), "east's demo restored into west, mapped");
            assertTrue(ok("workspace", "restores", "cli-fleet").out().contains("cli-wr"));
            assertEquals("cli-fleet", json(ok("workspace", "restores", "cli-fleet", "cli-wr", "-o", "json"))
                    .at("/spec/workspace").asText());

            assertEquals("Workspace 'cli-fleet': cli-east.\n", ok("workspace", "remove-cluster", "cli-fleet", "cli-west").out());
            assertEquals(1, cli.run("workspace", "add-cluster", "cli-fleet", "nope").exitCode());
            assertEquals("Workspace 'cli-fleet' deleted.\n", ok("workspace", "delete", "cli-fleet").out());
            assertEquals(1, cli.run("workspace", "get", "cli-fleet").exitCode());
            ok("cluster", "delete", "cli-east");
            ok("cluster", "delete", "cli-west");
        }
    }

    /** --wait ends with 0 for Completed (above), 1 for Failed and 2 for PartiallyFailed, and shows the first errors. */
    @Test
    void waitExitsWithTheRunsOutcome() throws Exception {
        try (SandboxCluster flaky = SandboxCluster.builder().name("cli-flaky").start();
             SandboxCluster locked = SandboxCluster.builder().name("cli-locked").start()) {
            SampleApp.install(flaky.client());
            ok("cluster", "add", "cli-flaky", "--kubeconfig", flaky.kubeconfigFile().toString(), "--allow-insecure-tls");
            Path wrongToken = Files.createTempFile("locked", ".yaml");
            Files.writeString(wrongToken, locked.kubeconfigYaml().replace(locked.token(), "not-the-token"));
            ok("cluster", "add", "cli-locked", "--kubeconfig", wrongToken.toString(), "--allow-insecure-tls");

            flaky.faults().failListsAlways("configmaps");
            CliHarness.Result partial = cli.run("backup", "create", "cli-partial", "--cluster", "cli-flaky", "--location",
                    "local", "--wait");
            flaky.faults().clear();
            assertEquals(2, partial.exitCode(), partial.toString());
            assertTrue(partial.out().contains("Backup 'cli-partial' PartiallyFailed: "), partial.out());
            assertTrue(partial.out().contains("First errors:\n  ") && partial.out().contains("configmaps"), partial.out());
            String described = ok("backup", "describe", "cli-partial").out();
            assertTrue(described.contains("Errors (1):") && described.contains("configmaps"), described);

            CliHarness.Result failed = cli.run("backup", "create", "cli-failed", "--cluster", "cli-locked", "--location",
                    "local", "--wait");
            assertEquals(1, failed.exitCode(), failed.toString());
            assertTrue(failed.out().contains("Backup 'cli-failed' Failed: "), failed.out());
            assertTrue(failed.out().contains("First errors:\n  the cluster could not be read"), failed.out());
            CliHarness.Result failedJson = cli.run("backup", "describe", "cli-failed", "-o", "json");
            assertEquals("Failed", json(failedJson).at("/status/phase").asText());
            assertTrue(ok("backup", "describe", "cli-failed").out().contains("Errors (1):\n  the cluster could not be read"));

            ok("cluster", "delete", "cli-flaky");
            ok("cluster", "delete", "cli-locked");
        }
    }

}
