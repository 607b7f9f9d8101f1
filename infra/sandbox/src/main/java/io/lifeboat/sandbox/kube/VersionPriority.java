package io.lifeboat.sandbox.kube;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' order of API versions, highest priority first, as kube-apiserver sorts a group's versions and picks the
 * first as preferred: GA before beta before alpha, a higher major number first, then a higher beta or alpha number
 * (v2, v1, v1beta2, v1beta1, v1alpha1). Versions that do not look like Kubernetes versions come last, by name.
 */
final class VersionPriority {
    private static final Pattern KUBE = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    static final Comparator<String> HIGHEST_FIRST = VersionPriority::compare;

    private VersionPriority() {
    }

    private static int compare(String a, String b) {
        Matcher ma = KUBE.matcher(a);
        Matcher mb = KUBE.matcher(b);
        boolean ka = ma.matches();
        boolean kb = mb.matches();
        if (!ka || !kb) {
            return ka == kb ? a.compareTo(b) : ka ? -1 : 1;
        }
        int stability = Integer.compare(stability(mb.group(2)), stability(ma.group(2)));
        if (stability != 0) {
            return stability;
        }
        int major = Long.compare(Long.parseLong(mb.group(1)), Long.parseLong(ma.group(1)));
        if (major != 0) {
            return major;
        }
        return ma.group(3) == null ? 0 : Long.compare(Long.parseLong(mb.group(3)), Long.parseLong(ma.group(3)));
    }

    /** GA 2, beta 1, alpha 0. */
    private static int stability(String qualifier) {
        return qualifier == null ? 2 : qualifier.equals("beta") ? 1 : 0;
    }
}
