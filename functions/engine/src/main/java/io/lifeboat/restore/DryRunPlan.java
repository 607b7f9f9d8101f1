package io.lifeboat.restore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * A dry run's plan, streamed into its file as it is decided, one item at a time (never held whole):
 * <pre>
 * {"restore", "backup", "targetCluster", "existingResourcePolicy",
 *  "items": [{"resource", "namespace"?, "name", "action", "reason"?, "patch"?}, …],
 *  "summary": {"create", "identical", "update", "conflict", "refused", "excluded"}}
 * </pre>
 * {@code resource} is the type as the archive names it ({@code deployments.apps}); {@code namespace} is where the item
 * would be restored (after the namespace mapping), or for an excluded or refused item, where it is in the archive;
 * {@code patch} is the JSON Patch (RFC 6902) from the live object to what the restore would make of it, both as
 * {@link ObjectComparison} compares them (without what servers own).
 */
final class DryRunPlan {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the restore would do with an item. */
    enum Action {
        /** It does not exist on the target: the restore would create it. */
        create,
        /** It exists and equals the backup's: the restore would skip it. */
        identical,
        /** It exists and differs, and policy update would replace it. */
        update,
        /** It exists and differs, and would be kept as it is (policy none, or a cluster-scoped object a restore without includeClusterResources never changes): a warning. */
        conflict,
        /** The restore would refuse it (an error), for the reason given. */
        refused,
        /** The options leave it out (not included, or never restored, such as a finished pod), for the reason given. */
        excluded
    }

    private final JsonGenerator json;
    private final Map<Action, Long> counts = new EnumMap<>(Action.class);

    DryRunPlan(OutputStream out, Restore restore) {
        try {
            json = new JsonFactory(JSON).createGenerator(out);
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeStringField("restore", restore.name());
            json.writeStringField("backup", restore.backup());
            json.writeStringField("targetCluster", restore.targetCluster());
            json.writeStringField("existingResourcePolicy", restore.request().existingResourcePolicy().name());
            json.writeArrayFieldStart("items");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Action action : Action.values()) {
            counts.put(action, 0L);
        }
    }

    /** One item's fate; {@code namespace} null for a cluster-scoped one, {@code reason} and {@code patch} when known. */
    synchronized void item(String resource, String namespace, String name, Action action, String reason, JsonNode patch) {
        counts.merge(action, 1L, Long::sum);
        try {
            json.writeStartObject();
            json.writeStringField("resource", resource);
            if (namespace != null) {
                json.writeStringField("namespace", namespace);
            }
            json.writeStringField("name", name);
            json.writeStringField("action", action.name());
            if (reason != null) {
                json.writeStringField("reason", reason);
            }
            if (patch != null) {
                json.writeFieldName("patch");
                json.writeTree(patch);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the plan with its summary (the stream underneath stays open) and returns the counts. */
    synchronized Restore.PlanCounts finish() {
        Restore.PlanCounts summary = counts();
        try {
            json.writeEndArray();
            json.writeFieldName("summary");
            json.writeObject(summary);
            json.writeEndObject();
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return summary;
    }

    synchronized Restore.PlanCounts counts() {
        return new Restore.PlanCounts(counts.get(Action.create), counts.get(Action.identical), counts.get(Action.update),
                counts.get(Action.conflict), counts.get(Action.refused), counts.get(Action.excluded));
    }
}
