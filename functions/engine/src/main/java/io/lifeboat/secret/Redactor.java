package io.lifeboat.secret;

import java.util.List;

/** Removes known secret values from text that leaves Lifeboat (status messages, log lines, errors). */
public final class Redactor {
    private final List<String> secrets;

    public Redactor(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 3).toList();
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
