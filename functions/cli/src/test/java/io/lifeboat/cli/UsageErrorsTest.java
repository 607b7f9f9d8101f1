package io.lifeboat.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A wrong command line ends with 64 and one readable line, and a secret typed where a flag's value would be is never
 * printed back: not after an unknown option, not after '=', not in any stream.
 */
class UsageErrorsTest {
    static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
    final CliHarness cli = new CliHarness("http://127.0.0.1:1");

    @Test
    void aSecretGivenAsAFlagValueIsRefusedAndNeverEchoed() {
        String[][] attempts = {
                {"location", "create", "minio", "m", "--bucket", "b", "--secret-access-key", SECRET},
                {"location", "create", "minio", "m", "--bucket", "b", "--secret-access-key=" + SECRET},
                {"location", "create", "aws", "a", "--bucket", "b", "--region", "r", "--secret-access-key", SECRET, "--x"},
                {"location", "create", "azure", "z", "--container", "c", "--client-secret", SECRET},
                {"location", "create", "gcp", "g", "--bucket", "b", "--service-account-key", SECRET},
                {"backup", "list", "--token", SECRET},
                {"cluster", "list", "--token=" + SECRET},
        };
        for (String[] attempt : attempts) {
            CliHarness.Result result = cli.run(attempt);
            assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
            assertFalse(result.out().contains(SECRET) || result.err().contains(SECRET), "echoed: " + result);
            assertTrue(result.err().startsWith("Error: unknown option '--"), result.toString());
        }
        CliHarness.Result hinted = cli.run("location", "create", "minio", "m", "--bucket", "b", "--secret-access-key", SECRET);
        assertTrue(hinted.err().contains("give --secret-access-key-file FILE, or --secret-access-key-file - to read it "
                + "from standard input"), hinted.toString());
        assertTrue(hinted.err().contains("1 argument after an unknown option (not shown, in case it is a secret)"), hinted.toString());
        CliHarness.Result azure = cli.run("location", "create", "azure", "z", "--container", "c", "--client-secret", SECRET);
        assertTrue(azure.err().contains("--client-secret-file FILE"), azure.toString());
    }

    @Test
    void aStrayArgumentNotAfterAnUnknownOptionIsNamed() {
        CliHarness.Result result = cli.run("backup", "logs", "one", "two");
        assertEquals(ExitCodes.USAGE, result.exitCode());
        assertTrue(result.err().contains("unexpected argument 'two'"), result.toString());
        assertTrue(result.err().contains("See 'lifeboat backup logs --help'."), result.toString());
    }

    @Test
    void aGroupWithoutASubcommandSaysWhichThereAre() {
        CliHarness.Result result = cli.run("restore");
        assertEquals(ExitCodes.USAGE, result.exitCode());
        assertEquals("Error: missing subcommand: one of create, describe, list, logs, plan\nSee 'lifeboat restore --help'.\n",
                result.err());
    }

    @Test
    void requiredFlagsAndExclusiveChoicesAreUsageErrors() {
        CliHarness.Result missing = cli.run("backup", "create", "b", "--cluster", "c");
        assertEquals(ExitCodes.USAGE, missing.exitCode());
        assertTrue(missing.err().startsWith("Error: Missing required option: '--location=LOCATION'"), missing.toString());
        CliHarness.Result both = cli.run("schedule", "create", "s", "--cluster", "a", "--workspace", "w", "--location", "l",
                "--preset", "weekly", "--retention-days", "7");
        assertEquals(ExitCodes.USAGE, both.exitCode());
        assertTrue(both.err().contains("--cluster=CLUSTER, --workspace=WORKSPACE are mutually exclusive"), both.toString());
        CliHarness.Result when = cli.run("schedule", "create", "s", "--cluster", "a", "--location", "l", "--preset",
                "weekly", "--hour", "3", "--retention-days", "7");
        assertEquals(ExitCodes.USAGE, when.exitCode(), when.toString());
        CliHarness.Result format = cli.run("backup", "list", "-o", "xml");
        assertEquals(ExitCodes.USAGE, format.exitCode());
        assertTrue(format.err().contains("table, json, yaml"), format.toString());
        CliHarness.Result expires = cli.run("backup", "create", "b", "--cluster", "c", "--location", "l", "--expires", "soon");
        assertEquals(ExitCodes.USAGE, expires.exitCode());
        assertTrue(expires.err().contains("--expires: 'soon' is neither a time to live"), expires.toString());
        CliHarness.Result mapping = cli.run("restore", "create", "--from-backup", "b", "--to-cluster", "c",
                "--namespace-mapping", "a:b");
        assertEquals(ExitCodes.USAGE, mapping.exitCode());
        assertTrue(mapping.err().contains("--namespace-mapping: 'a:b' is not from=to"), mapping.toString());
    }

    @Test
    void twoFlagsCannotBothReadStandardInput() {
        CliHarness.Result result = cli.runWithInput("x", "location", "create", "minio", "m", "--bucket", "b",
                "--secret-access-key-file", "-", "--ca-certificate-file", "-");
        assertEquals(ExitCodes.USAGE, result.exitCode());
        assertTrue(result.err().contains("only one flag can read standard input"), result.toString());
    }
}
