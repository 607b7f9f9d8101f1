package io.lifeboat.input;

import io.lifeboat.error.InvalidInputException;

import java.util.regex.Pattern;

/** Kubernetes-style names: every Lifeboat resource name is a DNS-1123 label. */
public final class Names {
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    public static final int MAX_LABEL = 63;

    private Names() {
    }

    public static boolean isDns1123Label(String value) {
        return value != null && value.length() <= MAX_LABEL && DNS1123_LABEL.matcher(value).matches();
    }

    /** Each value of a list, checked as {@code field[i]}; a missing list is empty. */
    public static java.util.List<String> requireLabels(String field, java.util.List<String> values) {
        java.util.List<String> checked = new java.util.ArrayList<>();
        if (values != null) {
            for (int i = 0; i < values.size(); i++) {
                checked.add(requireLabel(field + "[" + i + "]", values.get(i)));
            }
        }
        return checked;
    }

    /** Returns the value, or throws naming the field. */
    public static String requireLabel(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(field, "is required");
        }
        if (!isDns1123Label(value)) {
            throw new InvalidInputException(field, "'" + value + "' is not a DNS-1123 label "
                    + "(lower-case letters, digits and '-', starting and ending with a letter or digit, at most "
                    + MAX_LABEL + " characters)");
        }
        return value;
    }
}
