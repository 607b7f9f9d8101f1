package io.lifeboat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** {@code a=b,c=d} flags (namespace, storage-class and cluster mappings), as the JSON objects the API takes. */
final class Mappings {
    private Mappings() {
    }

    /** The pairs of every occurrence of the flag, each "from=to", in a JSON object; null when none was given. */
    static ObjectNode of(String flag, List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        ObjectNode map = ApiClient.object();
        for (String value : values) {
            for (String pair : value.split(",")) {
                int equals = pair.indexOf('=');
                if (equals < 1 || equals == pair.length() - 1) {
                    throw new CliException(flag + ": '" + pair + "' is not from=to", ExitCodes.USAGE);
                }
                map.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
            }
        }
        return map;
    }
}
