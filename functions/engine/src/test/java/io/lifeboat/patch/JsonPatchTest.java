package io.lifeboat.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The patches {@link JsonPatch#diff} makes, and that applying one (as RFC 6902 says) gives the second document. */
class JsonPatchTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void equalDocumentsHaveAnEmptyPatchWhateverTheirFieldOrder() throws Exception {
        assertEquals(0, JsonPatch.diff(json("{'a':1,'b':{'c':[1,2]}}"), json("{'b':{'c':[1,2]},'a':1}")).size());
    }

    @Test
    void fieldsAreAddedRemovedAndReplacedInNameOrder() throws Exception {
        ArrayNode patch = JsonPatch.diff(json("{'data':{'color':'blue','size':'s'},'kind':'ConfigMap'}"),
                json("{'data':{'color':'red','weight':3},'kind':'ConfigMap'}"));
        assertEquals(json("""
                [{'op':'replace','path':'/data/color','value':'red'},
                 {'op':'remove','path':'/data/size'},
                 {'op':'add','path':'/data/weight','value':3}]"""), patch);
    }

    @Test
    void pointerSegmentsAreEscaped() throws Exception {
        ArrayNode patch = JsonPatch.diff(json("{'metadata':{'labels':{'app.kubernetes.io/name':'a','x~y':'1'}}}"),
                json("{'metadata':{'labels':{'app.kubernetes.io/name':'b'}}}"));
        assertEquals(json("""
                [{'op':'replace','path':'/metadata/labels/app.kubernetes.io~1name','value':'b'},
                 {'op':'remove','path':'/metadata/labels/x~0y'}]"""), patch);
    }

    @Test
    void arraysChangeByIndexThenGrowOrShrinkAtTheirEnd() throws Exception {
        assertEquals(json("[{'op':'replace','path':'/p/1','value':9},{'op':'add','path':'/p/3','value':4}]"),
                JsonPatch.diff(json("{'p':[1,2,3]}"), json("{'p':[1,9,3,4]}")));
        assertEquals(json("[{'op':'remove','path':'/p/3'},{'op':'remove','path':'/p/2'}]"),
                JsonPatch.diff(json("{'p':[1,2,3,4]}"), json("{'p':[1,2]}")));
        assertEquals(json("[{'op':'replace','path':'/p','value':{'a':1}}]"),
                JsonPatch.diff(json("{'p':[1]}"), json("{'p':{'a':1}}")));
        assertEquals(json("[{'op':'replace','path':'','value':[1]}]"), JsonPatch.diff(json("{'a':1}"), json("[1]")));
    }

    /** Random documents: the patch always turns the first into the second, and never holds a no-op. */
    @Test
    void applyingThePatchGivesTheSecondDocument() {
        Random random = new Random(16);
        for (int round = 0; round < 2000; round++) {
            JsonNode from = randomNode(random, 0);
            JsonNode to = random.nextInt(4) == 0 ? from.deepCopy() : mutate(random, from.deepCopy(), 0);
            ArrayNode patch = JsonPatch.diff(from, to);
            assertEquals(to, apply(from, patch), "round " + round + ": " + from + " -> " + to + " by " + patch);
            assertTrue(from.equals(to) == patch.isEmpty(), patch.toString());
        }
    }

    static JsonNode randomNode(Random random, int depth) {
        int kind = depth > 3 ? random.nextInt(3) : random.nextInt(5);
        return switch (kind) {
            case 0 -> JSON.getNodeFactory().numberNode(random.nextInt(5));
            case 1 -> JSON.getNodeFactory().textNode(List.of("a", "b", "~/", "").get(random.nextInt(4)));
            case 2 -> random.nextBoolean() ? JSON.getNodeFactory().booleanNode(true) : JSON.getNodeFactory().nullNode();
            case 3 -> {
                ArrayNode array = JSON.createArrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomNode(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = JSON.createObjectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(List.of("x", "y", "a/b", "c~d", "").get(random.nextInt(5)), randomNode(random, depth + 1));
                }
                yield object;
            }
        };
    }

    static JsonNode mutate(Random random, JsonNode node, int depth) {
        if (node instanceof ObjectNode object && object.size() > 0 && random.nextBoolean()) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(3)) {
                case 0 -> object.remove(name);
                case 1 -> object.set(name, mutate(random, object.get(name), depth + 1));
                default -> object.set("new" + random.nextInt(3), randomNode(random, depth + 1));
            }
            return object;
        }
        if (node instanceof ArrayNode array && array.size() > 0 && random.nextBoolean()) {
            switch (random.nextInt(3)) {
                case 0 -> array.remove(random.nextInt(array.size()));
                case 1 -> array.insert(random.nextInt(array.size()), randomNode(random, depth + 1));
                default -> {
                    int i = random.nextInt(array.size());
                    array.set(i, mutate(random, array.get(i), depth + 1));
                }
            }
            return array;
        }
        return randomNode(random, depth);
    }

    /** RFC 6902's add, remove and replace, as a reader of the patch would apply them. */
    static JsonNode apply(JsonNode document, ArrayNode patch) {
        JsonNode result = document.deepCopy();
        for (JsonNode operation : patch) {
            String path = operation.path("path").asText();
            String op = operation.path("op").asText();
            if (path.isEmpty()) {
                result = operation.get("value").deepCopy();
                continue;
            }
            int cut = path.lastIndexOf('/');
            JsonNode parent = result.at(path.substring(0, cut));
            String last = path.substring(cut + 1).replace("~1", "/").replace("~0", "~");
            if (parent instanceof ObjectNode object) {
                if (op.equals("remove")) {
                    object.remove(last);
                } else {
                    object.set(last, operation.get("value").deepCopy());
                }
            } else if (parent instanceof ArrayNode array) {
                int index = last.equals("-") ? array.size() : Integer.parseInt(last);
                switch (op) {
                    case "remove" -> array.remove(index);
                    case "add" -> array.insert(index, operation.get("value").deepCopy());
                    default -> array.set(index, operation.get("value").deepCopy());
                }
            } else {
                throw new AssertionError("no container at " + path + " in " + result);
            }
        }
        return result;
    }
}
