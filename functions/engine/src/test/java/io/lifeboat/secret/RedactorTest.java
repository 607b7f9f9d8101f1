package io.lifeboat.secret;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class RedactorTest {
    static final String PEM = """
            -----BEGIN PRIVATE KEY-----
            MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7
            VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDu
            ictGeurT8jNbvJZHtCSuYEvu
            Zx==
            -----END PRIVATE KEY-----
            """;

    @Test
    void aSecretIsReplacedWherever() {
        Redactor redactor = new Redactor(List.of("wJalrXUtnFEMI/K7MDENG"));
        assertEquals("denied for *** (key ***)", redactor.scrub("denied for wJalrXUtnFEMI/K7MDENG (key wJalrXUtnFEMI/K7MDENG)"));
        assertEquals("nothing to hide", redactor.scrub("nothing to hide"));
        assertNull(redactor.scrub(null));
    }

    @Test
    void valuesTooShortToBeSecretsAndAbsentOnesAreIgnored() {
        Redactor redactor = new Redactor(Arrays.asList("ab", null, "", "abc"));
        assertEquals("ab, ***, x", redactor.scrub("ab, abc, x"), "values of fewer than 3 characters are not looked for");
    }

    @Test
    void theLongestSecretIsRemovedWholeWhenOneHoldsAnother() {
        Redactor redactor = new Redactor(List.of("token", "token-and-more"));
        assertEquals("*** then ***", redactor.scrub("token-and-more then token"));
    }

    @Test
    void aKeyFileSurfacingLineByLineOrWithEscapedNewlinesIsRemoved() {
        Redactor redactor = new Redactor(List.of(PEM));
        String oneLine = redactor.scrub("parse error near VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDu here");
        assertEquals("parse error near *** here", oneLine);
        String escaped = PEM.replace("\n", "\\n");
        String scrubbed = redactor.scrub("{\"private_key\": \"" + escaped + "\"}");
        assertFalse(scrubbed.contains("MIIEvQIBADANBgkq"), scrubbed);
        assertFalse(scrubbed.contains("ictGeurT8jNbvJZHtCSuYEvu"), scrubbed);
        assertEquals("***", redactor.scrub(PEM), "the whole value first");
    }

    @Test
    void theArmourAndShortLinesOfAKeyAreLeftInOrdinaryText() {
        Redactor redactor = new Redactor(List.of(PEM));
        assertEquals("-----BEGIN PRIVATE KEY----- expected", redactor.scrub("-----BEGIN PRIVATE KEY----- expected"));
        assertEquals("Zx== is short", redactor.scrub("Zx== is short"), "fragments under 8 characters match too much");
        assertEquals("***", redactor.scrub("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"), "a long line alone");
    }
}
