package io.lifeboat.terraform;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Needs no provider, so it runs everywhere terraform does. */
class TerraformFormatTest {
    @Test
    void everyFileIsFormatted() {
        Path terraform = Path.of(System.getProperty("lifeboat.terraform.dir"));
        Terraform.Result fmt = Terraform.run(terraform, Map.of("CHECKPOINT_DISABLE", "1"),
                "fmt", "-check", "-recursive", "-diff", "-no-color", ".");
        assertEquals(0, fmt.exitCode(), "terraform fmt -check found files to format:\n" + fmt.output());
    }
}
