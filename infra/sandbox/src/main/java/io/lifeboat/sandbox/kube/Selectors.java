package io.lifeboat.sandbox.kube;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Label and field selectors as the API server reads them from a list's or watch's query.
 *
 * <p>Labels: the whole grammar of {@code labels.Parse} — {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)},
 * {@code k notin (a,b)}, {@code k} (exists) and {@code !k} (does not exist), joined by commas, all of which must hold.
 * Fields: {@code metadata.name} and {@code metadata.namespace} with {@code =}, {@code ==} or {@code !=}, which every
 * type supports; any other field is refused, as a real server refuses a field a type does not index.
 */
final class Selectors {
    private Selectors() {
    }

    /** A selector the server cannot read: the answer is 400 BadRequest with this message. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    /** What a label selector keeps; everything when it is null or blank. */
    static Predicate<Map<String, String>> labels(String selector) {
        if (selector == null || selector.isBlank()) {
            return labels -> true;
        }
        List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
        for (String term : splitTerms(selector)) {
            requirements.add(requirement(term.trim(), selector));
        }
        return labels -> requirements.stream().allMatch(r -> r.test(labels));
    }

    /** What a field selector keeps, given an object's namespace ("" when cluster-scoped) and name. */
    static Predicate<StoredObjects.ObjectKey> fields(String selector) {
        if (selector == null || selector.isBlank()) {
            return key -> true;
        }
        List<Predicate<StoredObjects.ObjectKey>> requirements = new ArrayList<>();
        for (String term : selector.split(",")) {
            String t = term.trim();
            String operator = t.contains("!=") ? "!=" : t.contains("==") ? "==" : "=";
            int at = t.indexOf(operator);
            if (at <= 0) {
                throw new Invalid("invalid selector: '" + selector + "'; can't understand '" + t + "'");
            }
            String field = t.substring(0, at).trim();
            String value = t.substring(at + operator.length()).trim();
            boolean equal = !operator.equals("!=");
            switch (field) {
                case "metadata.name" -> requirements.add(key -> key.name().equals(value) == equal);
                case "metadata.namespace" -> requirements.add(key -> key.namespace().equals(value) == equal);
                default -> throw new Invalid("field label not supported: " + field);
            }
        }
        return key -> requirements.stream().allMatch(r -> r.test(key));
    }

    /** Splits on the commas that are not inside a parenthesised set. */
    private static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(selector.substring(start));
        return terms;
    }

    private static Predicate<Map<String, String>> requirement(String term, String selector) {
        if (term.isEmpty()) {
            throw invalid(selector, term);
        }
        String[] words = term.split("\\s+", 2);
        if (words.length == 2 && (words[1].startsWith("in ") || words[1].startsWith("in(")
                || words[1].startsWith("notin ") || words[1].startsWith("notin("))) {
            String key = key(words[0], selector);
            boolean in = words[1].startsWith("in");
            Set<String> values = set(words[1].substring(in ? 2 : 5).trim(), selector);
            return in ? labels -> values.contains(labels.get(key))
                    : labels -> !values.contains(labels.get(key));
        }
        int notEqual = term.indexOf("!=");
        if (notEqual > 0) {
            String key = key(term.substring(0, notEqual), selector);
            String value = value(term.substring(notEqual + 2), selector);
            return labels -> !value.equals(labels.get(key));
        }
        int equal = term.indexOf('=');
        if (equal > 0) {
            String key = key(term.substring(0, equal), selector);
            String rest = term.substring(equal + 1);
            String value = value(rest.startsWith("=") ? rest.substring(1) : rest, selector);
            return labels -> value.equals(labels.get(key));
        }
        if (term.startsWith("!")) {
            String key = key(term.substring(1), selector);
            return labels -> !labels.containsKey(key);
        }
        String key = key(term, selector);
        return labels -> labels.containsKey(key);
    }

    private static Set<String> set(String values, String selector) {
        if (!values.startsWith("(") || !values.endsWith(")")) {
            throw invalid(selector, values);
        }
        String inside = values.substring(1, values.length() - 1).trim();
        if (inside.isEmpty()) {
            throw new Invalid("unable to parse requirement: for 'in', 'notin' operators, values set can't be empty");
        }
        List<String> parsed = new ArrayList<>();
        for (String value : inside.split(",")) {
            parsed.add(value(value, selector));
        }
        return Set.copyOf(parsed);
    }

    private static String key(String key, String selector) {
        String k = key.trim();
        if (!k.matches("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
            throw invalid(selector, key);
        }
        return k;
    }

    private static String value(String value, String selector) {
        String v = value.trim();
        if (!v.isEmpty() && !v.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
            throw invalid(selector, value);
        }
        return v;
    }

    private static Invalid invalid(String selector, String part) {
        return new Invalid("unable to parse requirement: '" + part.trim() + "' of selector '" + selector + "'");
    }
}
