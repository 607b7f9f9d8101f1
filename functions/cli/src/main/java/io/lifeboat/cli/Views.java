package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Small pieces every view of a record uses: fields read safely, lists and maps joined, names made readable. */
final class Views {
    private static final Map<String, String> WORDS = Map.ofEntries(Map.entry("url", "URL"), Map.entry("tls", "TLS"),
            Map.entry("id", "ID"), Map.entry("sku", "SKU"), Map.entry("ca", "CA"), Map.entry("pvs", "PVs"),
            Map.entry("s3", "S3"), Map.entry("sts", "STS"), Map.entry("arn", "ARN"), Map.entry("json", "JSON"));

    private Views() {
    }

    /** The text at a dotted path ({@code status.progress.totalItems}), or "" when absent. */
    static String text(JsonNode node, String path) {
        JsonNode at = at(node, path);
        return at.isMissingNode() || at.isNull() ? "" : at.asText();
    }

    static long number(JsonNode node, String path) {
        return at(node, path).asLong(0);
    }

    static JsonNode at(JsonNode node, String path) {
        JsonNode at = node;
        for (String part : path.split("\\.")) {
            at = at.path(part);
        }
        return at;
    }

    /** "a, b" for a list, "a=b, c=d" for a map, the text otherwise; "" when empty. */
    static String joined(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(item -> parts.add(item.asText()));
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                parts.add(entry.getKey() + "=" + (entry.getValue().isValueNode() ? entry.getValue().asText()
                        : joined(entry.getValue())));
            }
        } else {
            return node.asText();
        }
        return String.join(", ", parts);
    }

    /** "s3Url" as "S3 URL", "allowInsecureTls" as "Allow insecure TLS". */
    static String label(String field) {
        String[] words = field.split("(?<=[a-z0-9])(?=[A-Z])");
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            String word = words[i].toLowerCase();
            String special = WORDS.get(word);
            String shown = special != null ? special : i == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word;
            label.append(i == 0 ? "" : " ").append(shown);
        }
        return label.toString();
    }

    /**
     * Every field of a spec as "Label: value", nested objects flattened ("Credentials access key ID"), times absolute
     * and relative, an empty namespace list as all of them.
     */
    static void specFields(Details details, JsonNode spec, String prefix, Times times) {
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            String own = label(field.getKey());
            String label = prefix.isEmpty() ? own : prefix + " " + (own.length() > 1 && Character.isUpperCase(own.charAt(1))
                    ? own : Character.toLowerCase(own.charAt(0)) + own.substring(1));
            if (value.isObject() && value.size() > 0 && value.fields().next().getValue().isValueNode()
                    && !field.getKey().toLowerCase().contains("mapping") && !field.getKey().equals("labelSelector")
                    && !field.getKey().equals("custom")) {
                specFields(details, value, label, times);
            } else if (field.getKey().endsWith("At") && Times.instant(value) != null) {
                details.field(label, times.both(value));
            } else if (field.getKey().equals("namespaces") && value.isArray() && value.size() == 0) {
                details.field(label, "* (all)");
            } else if (value.isBoolean()) {
                details.field(label, value.asBoolean() ? "yes" : "no");
            } else if (value.isTextual() && value.asText().contains("\n")) {
                details.field(label, value.asText().lines().findFirst().orElse("") + " …");
            } else {
                details.field(label, joined(value));
            }
        }
    }

    static String yesNo(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "auto";
        }
        return node.asBoolean() ? "yes" : "no";
    }
}
