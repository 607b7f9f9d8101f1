package io.lifeboat.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON merge patch (RFC 7386), what {@code application/merge-patch+json} asks for: an object in the patch merges into
 * the target member by member, a null removes the member, anything else (arrays included) replaces it whole.
 */
final class MergePatch {
    private MergePatch() {
    }

    /** The target with the patch applied; the target itself is changed when both are objects. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target
                : JsonNodeFactory.instance.objectNode();
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
        patch.fields().forEachRemaining(members::add);
        for (Map.Entry<String, JsonNode> member : members) {
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), apply(result.get(member.getKey()), member.getValue()));
            }
        }
        return result;
    }
}
