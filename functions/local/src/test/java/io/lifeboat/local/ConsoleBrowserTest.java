package io.lifeboat.local;

import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.lifeboat.sandbox.s3proxy.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console in a real browser, against the whole local mode this module starts (the API, DynamoDB Local,
 * s3proxy, two sandbox clusters). The browser side is functions/console/e2e/console.e2e.mjs: playwright-core (an npm
 * package the console's build installed) driving Debian's Chromium, which e2e/install-chromium.sh installs when the
 * machine lacks it. A Node script rather than Playwright for Java: the Java binding brings its own Node driver and
 * browser downloads, which this machine cannot fetch, while the npm package is already there and uses the system
 * browser. This test prepares what the script needs (a bucket no location holds, a storage class on sandbox-2), runs
 * it, and then checks through the API and the clusters that what the browser did really happened.
 *
 * <p>The script adds a location (Available), sees a field error at its field and a wrong bucket's reason, registers a
 * cluster from an uploaded kubeconfig (refused at the TLS check box until it is ticked), backs up
 * the sandbox and waits for the progress bar to reach Completed, restores into sandbox-2 (a namespace under a new
 * name, a storage class mapped to one sandbox-2 offers) and sees it on sandbox-2's page, creates a weekly schedule
 * and sees its next run, backs up a workspace of both sandboxes (one progress bar each), uses the keyboard, and sees
 * the empty states; it fails on any JavaScript error. Screenshots of each page go to target/console-screenshots/.
 */
@QuarkusTest
@QuarkusTestResource(LocalPorts.class)
class ConsoleBrowserTest {
    static final String STORAGE_CLASS = "console-fast";
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @Inject
    LocalMode local;

    @Test
    void theConsoleDoesInChromiumWhatAUserComesFor() throws Exception {
        Path console = consoleFolder();
        String chromium = chromium(console.resolve("e2e").resolve("install-chromium.sh"));

        String run = Long.toString(System.currentTimeMillis(), 36).substring(3);
        String bucket = "console-" + run;
        createBucket(local.s3(), bucket);
        local.sandbox("sandbox-2").client().storage().v1().storageClasses().resource(new StorageClassBuilder()
                .withNewMetadata().withName(STORAGE_CLASS).endMetadata().withProvisioner("ebs.csi.aws.com").build())
                .createOr(existing -> existing.update());

        String output = runScript(console, "console.e2e.mjs", Map.of(
                "S3_URL", local.s3().url(),
                "S3_ACCESS_KEY", local.s3().accessKey(),
                "S3_SECRET_KEY", local.s3().secretKey(),
                "E2E_BUCKET", bucket,
                "E2E_STORAGE_CLASS", STORAGE_CLASS,
                "E2E_RUN", run,
                "E2E_KUBECONFIG", local.sandbox("sandbox-2").kubeconfigFile().toString(),
                "CHROMIUM", chromium));
        assertTrue(output.contains(" passed, 0 failed"), output);

        // what the browser did, seen from the API and the clusters
        given().get("/v1/projects/default/backups/e2e-backup-" + run).then().statusCode(200)
                .body("status.phase", equalTo("Completed"));
        given().get("/v1/projects/default/restores/e2e-restore-" + run).then().statusCode(200)
                .body("status.phase", equalTo("Completed"))
                .body("spec.targetCluster", equalTo("sandbox-2"))
                .body("spec.namespaceMapping.demo", equalTo("demo-" + run))
                .body("spec.storageClassMapping.gp2", equalTo(STORAGE_CLASS))
                .body("spec.preserveNodePorts", equalTo(false))
                .body("spec.existingResourcePolicy", equalTo("update"));
        assertNotNull(local.sandbox("sandbox-2").client().apps().deployments().inNamespace("demo-" + run).withName("web").get(),
                "the restore created demo/web under its new namespace in sandbox-2");
        given().get("/v1/projects/default/clusters/e2e-copy-" + run).then().statusCode(200)
                .body("status.health", equalTo("Healthy")).body("status.insecureTls", equalTo(true));
        given().get("/v1/projects/default/locations/e2e-" + run).then().body("status.phase", equalTo("Available"))
                .body("spec.encryption.kmsKeyId", equalTo("alias/lifeboat-local"));
        given().get("/v1/projects/default/locations/locked-" + run).then().body("status.reason", equalTo("ImmutabilityNotEnabled"))
                .body("spec.immutability.days", equalTo(7)).body("spec.immutability.mode", equalTo("compliance"));
        given().get("/v1/projects/default/locations/nobucket-" + run).then().body("status.reason", equalTo("NoSuchBucket"));
        String next = given().get("/v1/projects/default/schedules/e2e-weekly-" + run).then().statusCode(200)
                .body("status.phase", equalTo("Active")).extract().path("status.nextRunAt");
        assertEquals(DayOfWeek.SUNDAY, Instant.parse(next).atZone(ZoneOffset.UTC).getDayOfWeek(), next);
        for (String page : new String[]{"locations", "clusters", "cluster-sandbox", "backup-details", "cluster-sandbox-2",
                "backup-diff", "schedules", "workspace", "empty-clusters"}) {
            try (var files = Files.list(SCREENSHOTS)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith("-" + page + ".png")), page);
            }
        }
    }

    /**
     * Runs one of the console's browser scripts (functions/console/e2e) with Node against this local mode, its output
     * in target/&lt;script&gt;.log; fails with that output unless it ends well within 15 minutes.
     */
    static String runScript(Path console, String script, Map<String, String> variables) throws IOException, InterruptedException {
        Path log = Path.of("target", script.replace(".mjs", ".log")).toAbsolutePath();
        ProcessBuilder node = new ProcessBuilder("node", "e2e/" + script).directory(console.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        node.environment().putAll(variables);
        node.environment().put("LIFEBOAT_URL", "http://127.0.0.1:" + RestAssured.port);
        node.environment().put("SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString());
        Process process = node.start();
        // a bound on a run that hangs, far above the half minute it takes; the scripts wait for states, not times
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError(script + " did not end in 15 minutes:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), script + " failed:\n" + output);
        return output;
    }

    /** The console's folder, whose npm packages its module's build installed. */
    static Path consoleFolder() {
        Path console = Path.of(System.getProperty("lifeboat.console", "../console")).toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(console.resolve("node_modules").resolve("playwright-core")),
                "the console's npm packages are installed by its module's build (npm ci): build functions/console first");
        return console;
    }

    /** The system Chromium, installed by the project's one script when it is missing. */
    static String chromium(Path installer) throws IOException, InterruptedException {
        Process install = new ProcessBuilder("bash", installer.toString()).redirectErrorStream(true).start();
        String said = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(install.waitFor(10, TimeUnit.MINUTES), "installing Chromium did not end");
        assertEquals(0, install.exitValue(), "Chromium could not be installed:\n" + said);
        Process which = new ProcessBuilder("bash", "-c", "command -v chromium").start();
        String path = new String(which.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, which.waitFor(), "no chromium on the PATH");
        return path;
    }

    static void createBucket(S3ProxyServer s3, String bucket) {
        try (S3Client admin = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(URI.create(s3.url())).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build()) {
            admin.createBucket(r -> r.bucket(bucket));
        }
    }
}
