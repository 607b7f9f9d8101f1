package io.lifeboat.app.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.signal.RunEnded;
import io.lifeboat.signal.RunSignals;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of each run in AWS: one CloudWatch Embedded Metric Format record, a JSON line on standard output (the
 * Lambda runtime sends it to CloudWatch Logs, which turns it into metrics of namespace {@value #NAMESPACE}, by
 * function and by function and phase). Project and name ride along as properties, searchable but not dimensions.
 */
public final class EmfRunSignals implements RunSignals {
    public static final String NAMESPACE = "Lifeboat";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Map<String, String>> METRICS = List.of(
            metric("DurationMs", "Milliseconds"), metric("Items", "Count"), metric("Bytes", "Bytes"),
            metric("Warnings", "Count"), metric("Errors", "Count"), metric("Runs", "Count"), metric("Failed", "Count"));

    private final PrintStream out;

    public EmfRunSignals(PrintStream out) {
        this.out = out;
    }

    private static Map<String, String> metric(String name, String unit) {
        return Map.of("Name", name, "Unit", unit);
    }

    @Override
    public void ended(RunEnded run) {
        out.println(record(run));
        out.flush();
    }

    /** The one JSON line of a run. */
    public static String record(RunEnded run) {
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", NAMESPACE);
        directive.put("Dimensions", List.of(List.of("function"), List.of("function", "phase")));
        directive.put("Metrics", METRICS);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", (run.endedAt() == null ? java.time.Instant.now() : run.endedAt()).toEpochMilli());
        aws.put("CloudWatchMetrics", List.of(directive));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", aws);
        line.put("function", run.kind().function());
        line.put("phase", run.phase());
        line.put("kind", run.kind().noun());
        if (run.project() != null) {
            line.put("project", run.project());
        }
        line.put("name", run.name());
        line.put("DurationMs", run.duration().toMillis());
        line.put("Items", run.items());
        line.put("Bytes", run.bytes());
        line.put("Warnings", run.warnings());
        line.put("Errors", run.errors());
        line.put("Runs", 1);
        line.put("Failed", run.failed() ? 1 : 0);
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
