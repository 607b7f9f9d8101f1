package io.lifeboat.terraform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * terraform init, validate and plan, run once per test JVM and shared by the test classes that read the plan. Without
 * the provider mirror they cannot run offline, and the tests that need them are skipped, saying why.
 */
final class OfflinePlan {
    static final String JWT_ISSUER = "https://issuer.example.com/pool";
    static final String JWT_AUDIENCE = "lifeboat-client";
    static final String EXTERNAL_ID = "lifeboat-check-external-id";

    private static OfflinePlan shared;

    final Terraform terraform;
    final Terraform.Result validate;
    final Plan plan;

    private OfflinePlan(Terraform terraform) {
        this.terraform = terraform;
        Terraform.Result init = terraform.run("init", "-backend=false", "-input=false", "-no-color");
        assertEquals(0, init.exitCode(), init.output());
        this.validate = terraform.run("validate", "-no-color");
        this.plan = plan("default.plan");
    }

    static synchronized OfflinePlan get() {
        if (shared != null) {
            return shared;
        }
        Optional<Path> mirror = Terraform.providerMirror();
        assumeTrue(mirror.isPresent(), "SKIPPED: no Terraform provider mirror on this machine (no folder named "
                + "registry.terraform.io within 3 levels of /), so init, validate and plan cannot run offline");
        shared = new OfflinePlan(Terraform.offline(Path.of(System.getProperty("lifeboat.terraform.dir")),
                Path.of(System.getProperty("lifeboat.terraform.work")), mirror.get()));
        return shared;
    }

    /** Another plan of the same configuration, with more variables ("name=value"). */
    Plan plan(String name, String... extraVariables) {
        List<String> arguments = new ArrayList<>(List.of("plan", "-refresh=false", "-input=false", "-no-color",
                "-out=" + name,
                "-var", "jwt_issuer=" + JWT_ISSUER,
                "-var", "jwt_audience=[\"" + JWT_AUDIENCE + "\"]",
                "-var", "backup_location_external_id=" + EXTERNAL_ID,
                "-var", "api_zip=" + zip("lifeboat.zip.api"),
                "-var", "workers_zip=" + zip("lifeboat.zip.workers")));
        for (String variable : extraVariables) {
            arguments.add("-var");
            arguments.add(variable);
        }
        Terraform.Result planned = terraform.run(arguments.toArray(String[]::new));
        assertEquals(0, planned.exitCode(), planned.output());
        Path json = terraform.work().resolve(name + ".json");
        Terraform.Result show = terraform.runInto(json, "show", "-json", "-no-color", name);
        assertEquals(0, show.exitCode(), show.output());
        return Plan.read(json);
    }

    static Path zip(String property) {
        Path zip = Path.of(System.getProperty(property));
        assertTrue(Files.isRegularFile(zip), "build the Lambda zips first (./mvnw package): " + zip);
        return zip;
    }
}
