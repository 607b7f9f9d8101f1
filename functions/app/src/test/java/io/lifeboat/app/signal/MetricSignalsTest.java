package io.lifeboat.app.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.signal.RunEnded;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run's numbers, as an EMF line in AWS and as Micrometer meters locally: the same numbers in both. */
class MetricSignalsTest {
    static final RunEnded FAILED_BACKUP = new RunEnded(RunEnded.Kind.BACKUP, "team-a", "nightly", "PartiallyFailed", null,
            120, 40960, 3, 2, Duration.ofMillis(2500), Instant.parse("2026-12-02T06:00:00Z"), "a type could not be listed");

    @Test
    void eachRunIsOneEmbeddedMetricFormatLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EmfRunSignals(new PrintStream(out, true, StandardCharsets.UTF_8)).ended(FAILED_BACKUP);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);

        JsonNode line = new ObjectMapper().readTree(text);
        JsonNode aws = line.path("_aws");
        assertEquals(Instant.parse("2026-12-02T06:00:00Z").toEpochMilli(), aws.path("Timestamp").asLong());
        JsonNode directive = aws.path("CloudWatchMetrics").path(0);
        assertEquals("Lifeboat", directive.path("Namespace").asText());
        assertEquals("[[\"function\"],[\"function\",\"phase\"]]", directive.path("Dimensions").toString());
        for (JsonNode dimensions : directive.path("Dimensions")) {
            for (JsonNode dimension : dimensions) {
                assertTrue(line.path(dimension.asText()).isTextual(), "every dimension has a value: " + dimension);
            }
        }
        for (JsonNode metric : directive.path("Metrics")) {
            assertTrue(line.path(metric.path("Name").asText()).isNumber(), "every metric has a value: " + metric);
        }
        assertEquals("run-backup", line.path("function").asText());
        assertEquals("PartiallyFailed", line.path("phase").asText());
        assertEquals("team-a", line.path("project").asText());
        assertEquals(2500, line.path("DurationMs").asLong());
        assertEquals(120, line.path("Items").asLong());
        assertEquals(40960, line.path("Bytes").asLong());
        assertEquals(3, line.path("Warnings").asInt());
        assertEquals(2, line.path("Errors").asInt());
        assertEquals(1, line.path("Failed").asInt());
        assertEquals(List.of("DurationMs", "Items", "Bytes", "Warnings", "Errors", "Runs", "Failed"),
                directive.path("Metrics").findValuesAsText("Name"));
    }

    @Test
    void theSameNumbersAreMicrometerMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerRunSignals signals = new MicrometerRunSignals(registry);
        signals.ended(FAILED_BACKUP);
        signals.ended(FAILED_BACKUP);

        assertEquals(2, registry.get("lifeboat.runs").tags("function", "run-backup", "phase", "PartiallyFailed")
                .counter().count());
        assertEquals(5000, registry.get("lifeboat.run.duration").tags("function", "run-backup").timer()
                .totalTime(TimeUnit.MILLISECONDS));
        assertEquals(240, registry.get("lifeboat.run.items").tags("function", "run-backup").counter().count());
        assertEquals(81920, registry.get("lifeboat.run.bytes").counter().count());
        assertEquals(6, registry.get("lifeboat.run.warnings").counter().count());
        assertEquals(4, registry.get("lifeboat.run.errors").counter().count());
    }
}
