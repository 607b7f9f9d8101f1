package io.lifeboat.verification;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * The number of names per type in a backup's resource list (Velero's {@code "<groupVersion>/<Kind>" -> ["ns/name",
 * ...]}), read as a stream: the names are counted, never kept.
 */
final class ResourceListCounts {
    private static final JsonFactory FACTORY = new JsonFactory();

    private ResourceListCounts() {
    }

    /** The counts; {@link MalformedFile} when the list is not in Velero's form. */
    static Map<String, Long> read(InputStream decompressed) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        try (JsonParser json = FACTORY.createParser(decompressed)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFile("the resource list is not a JSON object");
            }
            for (JsonToken token = json.nextToken(); token != JsonToken.END_OBJECT; token = json.nextToken()) {
                String type = json.currentName();
                if (token != JsonToken.FIELD_NAME || json.nextToken() != JsonToken.START_ARRAY) {
                    throw new MalformedFile("the resource list's " + Problems.shown(type)
                            + " is not a list of names");
                }
                long names = 0;
                for (JsonToken name = json.nextToken(); name != JsonToken.END_ARRAY; name = json.nextToken()) {
                    if (name != JsonToken.VALUE_STRING) {
                        throw new MalformedFile("the resource list's " + Problems.shown(type)
                                + " holds something other than names");
                    }
                    names++;
                }
                counts.merge(type, names, Long::sum);
            }
        }
        return counts;
    }
}
