package io.lifeboat.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An event users route (EventBridge rules, webhooks): a backup, restore or workspace run that ended, or a location
 * that turned Unavailable. {@code type} is the short name webhooks subscribe to ({@code backup.failed}),
 * {@code detailType} EventBridge's ({@code Backup Failed}). Sweeps, ticks and validations that change nothing are
 * not events (they are metrics only).
 */
public record RunEvent(String id, String type, String detailType, Instant time, Map<String, Object> detail) {
    public static final String SOURCE = "lifeboat";

    /** Every type an event can have; a webhook subscribes to some of them (or all). */
    public static final List<String> TYPES = List.of(
            "backup.completed", "backup.partially-failed", "backup.failed",
            "restore.completed", "restore.partially-failed", "restore.failed",
            "workspace-backup.completed", "workspace-backup.partially-failed", "workspace-backup.failed",
            "workspace-restore.completed", "workspace-restore.partially-failed", "workspace-restore.failed",
            "location.unavailable");

    private static final ObjectMapper JSON = new ObjectMapper();

    public RunEvent {
        detail = Collections.unmodifiableMap(new LinkedHashMap<>(detail)); // in the order given
    }

    /** The event of a run that ended, if it is one. */
    public static Optional<RunEvent> of(RunEnded run) {
        String type;
        String detailType;
        switch (run.kind()) {
            case BACKUP, RESTORE, WORKSPACE_BACKUP, WORKSPACE_RESTORE -> {
                if (!List.of("Completed", "PartiallyFailed", "Failed").contains(run.phase())) {
                    return Optional.empty();
                }
                type = run.kind().noun() + "." + kebab(run.phase());
                detailType = run.kind().title() + " " + spaced(run.phase());
            }
            case VALIDATION -> {
                if (!run.phase().equals("Unavailable") || "Unavailable".equals(run.previousPhase())) {
                    return Optional.empty();
                }
                type = "location.unavailable";
                detailType = "Location Unavailable";
            }
            default -> {
                return Optional.empty();
            }
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("project", run.project());
        detail.put("name", run.name());
        detail.put("kind", run.kind().noun());
        detail.put("phase", run.phase());
        if (run.previousPhase() != null) {
            detail.put("previousPhase", run.previousPhase());
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("items", run.items());
        counts.put("bytes", run.bytes());
        counts.put("warnings", run.warnings());
        counts.put("errors", run.errors());
        detail.put("counts", counts);
        detail.put("durationMs", run.duration().toMillis());
        if (run.message() != null) {
            detail.put("message", run.message());
        }
        Instant time = run.endedAt() == null ? Instant.now() : run.endedAt();
        return Optional.of(new RunEvent(UUID.randomUUID().toString(), type, detailType, time, detail));
    }

    /** The detail as JSON: what EventBridge carries as {@code detail}. */
    public String detailJson() {
        return write(detail);
    }

    /** The whole event as JSON, in EventBridge's envelope: what a webhook receives. */
    public String json() {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("id", id);
        envelope.put("source", SOURCE);
        envelope.put("type", type);
        envelope.put("detail-type", detailType);
        envelope.put("time", time.toString());
        envelope.put("detail", detail);
        return write(envelope);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String kebab(String phase) {
        return phase.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String spaced(String phase) {
        return phase.replaceAll("([a-z])([A-Z])", "$1 $2");
    }
}
