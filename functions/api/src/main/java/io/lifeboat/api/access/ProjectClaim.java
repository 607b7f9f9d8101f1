package io.lifeboat.api.access;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads the project list out of one claim value. API Gateway's JWT authorizer passes every claim as a string, and
 * writes an array claim as {@code [a b c]}; issuers that put a list into a string claim use commas or spaces. Project
 * names are DNS labels, so none of these separators can be part of a name.
 */
public final class ProjectClaim {
    private ProjectClaim() {
    }

    public static Set<String> parse(String value) {
        if (value == null) {
            return Set.of();
        }
        String list = value.strip();
        if (list.startsWith("[") && list.endsWith("]")) {
            list = list.substring(1, list.length() - 1);
        }
        Set<String> projects = new LinkedHashSet<>();
        Arrays.stream(list.split("[\\s,]+"))
                .map(name -> name.replace("\"", "").strip())
                .filter(name -> !name.isEmpty())
                .forEach(projects::add);
        return projects;
    }
}
