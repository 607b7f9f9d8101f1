package io.lifeboat.secret;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Removes known secret values from text that leaves Lifeboat (status messages, log lines, errors). Messages are
 * built so as never to carry secrets; this is the second line of defence against a provider that echoes one back.
 */
public final class Redactor {
    /** Line fragments shorter than this (a PEM's last line, say) match ordinary text too easily to be removed. */
    private static final int SHORTEST_FRAGMENT = 8;
    private final List<String> secrets = new ArrayList<>();

    public Redactor(Collection<String> secretValues) {
        for (String value : secretValues) {
            if (value == null || value.length() < 3) {
                continue;
            }
            secrets.add(value);
            // a key file's PEM can surface line by line, or with its newlines escaped as in JSON
            for (String line : value.replace("\\n", "\n").split("\n")) {
                String fragment = line.trim();
                if (fragment.length() >= SHORTEST_FRAGMENT && !fragment.startsWith("-----") && !fragment.equals(value)) {
                    secrets.add(fragment);
                }
            }
        }
        secrets.sort((a, b) -> b.length() - a.length());
    }

    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, "***");
        }
        return out;
    }
}
