package io.lifeboat.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.TreeSet;

/**
 * The JSON Patch (RFC 6902) that turns one JSON document into another: {@code add}, {@code remove} and
 * {@code replace} operations, paths as JSON Pointers (RFC 6901). Objects are compared field by field, fields in name
 * order, so that a patch is the same whatever order the fields were written in; arrays element by element from the
 * start, then what one has beyond the other is added at its end or removed from its end (a valid patch, not always the
 * shortest: an element inserted at the front shows as a change of every element after it). Values are equal as
 * {@link JsonNode#equals} says.
 */
public final class JsonPatch {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonPatch() {
    }

    /** The operations that turn {@code from} into {@code to}; empty when they are equal. */
    public static ArrayNode diff(JsonNode from, JsonNode to) {
        ArrayNode operations = NODES.arrayNode();
        diff("", from, to, operations);
        return operations;
    }

    private static void diff(String path, JsonNode from, JsonNode to, ArrayNode operations) {
        if (from.equals(to)) {
            return;
        }
        if (from.isObject() && to.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            from.fieldNames().forEachRemaining(names::add);
            to.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String child = path + "/" + escape(name);
                if (!to.has(name)) {
                    operations.addObject().put("op", "remove").put("path", child);
                } else if (!from.has(name)) {
                    add(operations, child, to.get(name));
                } else {
                    diff(child, from.get(name), to.get(name), operations);
                }
            }
            return;
        }
        if (from.isArray() && to.isArray()) {
            int common = Math.min(from.size(), to.size());
            for (int i = 0; i < common; i++) {
                diff(path + "/" + i, from.get(i), to.get(i), operations);
            }
            for (int i = common; i < to.size(); i++) {
                add(operations, path + "/" + i, to.get(i));
            }
            for (int i = from.size() - 1; i >= common; i--) { // from the end, so that each index still exists
                operations.addObject().put("op", "remove").put("path", path + "/" + i);
            }
            return;
        }
        ObjectNode replace = operations.addObject().put("op", "replace").put("path", path);
        replace.set("value", to.deepCopy());
    }

    private static void add(ArrayNode operations, String path, JsonNode value) {
        ObjectNode add = operations.addObject().put("op", "add").put("path", path);
        add.set("value", value.deepCopy());
    }

    /** A field name as one JSON Pointer segment: {@code ~} is {@code ~0}, {@code /} is {@code ~1}. */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
