package io.lifeboat.input;

import io.lifeboat.error.InvalidInputException;

import java.util.regex.Pattern;

/**
 * Kubernetes-style names: every Lifeboat resource name is a DNS-1123 label; the names of Kubernetes objects are
 * DNS-1123 subdomains, or for a few types (RBAC) path segments.
 */
public final class Names {
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** Printable ASCII without '/', '%', '?', '#', '\\' and space: nothing a request path or query could read otherwise. */
    private static final Pattern PATH_SEGMENT = Pattern.compile("[\\x21-\\x7E&&[^/%?#\\\\]]+");
    public static final int MAX_LABEL = 63;
    public static final int MAX_SUBDOMAIN = 253;

    private Names() {
    }

    public static boolean isDns1123Label(String value) {
        return value != null && value.length() <= MAX_LABEL && DNS1123_LABEL.matcher(value).matches();
    }

    /** A DNS-1123 subdomain: dot-separated labels, at most 253 characters (most Kubernetes objects' names). */
    public static boolean isDns1123Subdomain(String value) {
        return value != null && value.length() <= MAX_SUBDOMAIN && DNS1123_SUBDOMAIN.matcher(value).matches();
    }

    /**
     * A name that is one segment of a request path as it is, whatever the server makes of it: Kubernetes' path
     * segment names (not "." or "..", no '/' or '%'), and further printable ASCII only, without '?', '#', '\\' or
     * space. RBAC objects are named so ({@code system:controller:job-controller}).
     */
    public static boolean isSafePathSegment(String value) {
        return value != null && value.length() <= MAX_SUBDOMAIN && !value.equals(".") && !value.equals("..")
                && PATH_SEGMENT.matcher(value).matches();
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
