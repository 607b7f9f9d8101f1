package io.lifeboat.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunEventTest {
    static RunEnded run(RunEnded.Kind kind, String phase, String previous) {
        return new RunEnded(kind, "p", "nightly", phase, previous, 12, 3456, 1, 2, Duration.ofMillis(1500),
                Instant.parse("2026-12-02T06:00:00Z"), "why");
    }

    @Test
    void aFailedBackupIsAnEventWithProjectNamePhaseAndCounts() throws Exception {
        RunEvent event = RunEvent.of(run(RunEnded.Kind.BACKUP, "Failed", null)).orElseThrow();
        assertEquals("backup.failed", event.type());
        assertEquals("Backup Failed", event.detailType());
        JsonNode json = new ObjectMapper().readTree(event.json());
        assertEquals("lifeboat", json.path("source").asText());
        assertEquals("Backup Failed", json.path("detail-type").asText());
        assertEquals("p", json.path("detail").path("project").asText());
        assertEquals("nightly", json.path("detail").path("name").asText());
        assertEquals("Failed", json.path("detail").path("phase").asText());
        assertEquals(12, json.path("detail").path("counts").path("items").asLong());
        assertEquals(2, json.path("detail").path("counts").path("errors").asInt());
        assertEquals(1500, json.path("detail").path("durationMs").asLong());
        assertEquals(json.path("detail"), new ObjectMapper().readTree(event.detailJson()));
    }

    @Test
    void everyEndOfABackupRestoreOrWorkspaceRunHasAKnownType() {
        for (RunEnded.Kind kind : List.of(RunEnded.Kind.BACKUP, RunEnded.Kind.RESTORE, RunEnded.Kind.WORKSPACE_BACKUP,
                RunEnded.Kind.WORKSPACE_RESTORE)) {
            for (String phase : List.of("Completed", "PartiallyFailed", "Failed")) {
                RunEvent event = RunEvent.of(run(kind, phase, null)).orElseThrow();
                assertTrue(RunEvent.TYPES.contains(event.type()), event.type());
            }
        }
        assertEquals("Restore Partially Failed",
                RunEvent.of(run(RunEnded.Kind.RESTORE, "PartiallyFailed", null)).orElseThrow().detailType());
    }

    @Test
    void aLocationIsAnEventOnlyWhenItTurnsUnavailable() {
        assertEquals("location.unavailable",
                RunEvent.of(run(RunEnded.Kind.VALIDATION, "Unavailable", "Available")).orElseThrow().type());
        assertEquals("Location Unavailable",
                RunEvent.of(run(RunEnded.Kind.VALIDATION, "Unavailable", "Pending")).orElseThrow().detailType());
        assertFalse(RunEvent.of(run(RunEnded.Kind.VALIDATION, "Unavailable", "Unavailable")).isPresent());
        assertFalse(RunEvent.of(run(RunEnded.Kind.VALIDATION, "Available", "Unavailable")).isPresent());
        assertFalse(RunEvent.of(run(RunEnded.Kind.SWEEP, "Completed", null)).isPresent());
        assertFalse(RunEvent.of(run(RunEnded.Kind.TICK, "Completed", null)).isPresent());
    }

    @Test
    void oneSignalThatFailsDoesNotStopTheOthers() {
        List<String> told = new ArrayList<>();
        RunSignals all = RunSignals.all(List.of(r -> told.add("first"), r -> {
            throw new IllegalStateException("down");
        }, r -> told.add("third")));
        all.ended(run(RunEnded.Kind.BACKUP, "Completed", null));
        assertEquals(List.of("first", "third"), told);
    }
}
