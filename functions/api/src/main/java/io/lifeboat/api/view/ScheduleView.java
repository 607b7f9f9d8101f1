package io.lifeboat.api.view;


import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.schedule.Schedule;
import io.lifeboat.schedule.ScheduleSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A schedule: its definition, and where it stands (paused, next run, last backup, last error). */
@Schema(name = "Schedule")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleView(String name, String project, Instant createdAt, Spec spec, Status status) {

    /** The request's fields: {@code cluster} or {@code workspace}; {@code schedule} is {preset} or {custom}. */
    @Schema(name = "ScheduleSpec")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(String cluster, String workspace, String location, String prefix, boolean includeDisks,
                       Boolean includeClusterResources, List<String> namespaces, int retentionDays, When schedule,
                       String timeZone) {
    }

    @Schema(name = "ScheduleWhen")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record When(ScheduleSpec.Preset preset, Map<String, Object> custom) {
    }

    /** {@code phase}: Active or Paused. */
    @Schema(name = "ScheduleStatus")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(Phase phase, Instant nextRunAt, String lastBackup, String lastError) {
    }

    public enum Phase { Active, Paused }

    public static ScheduleView of(Schedule s) {
        return new ScheduleView(s.name(), s.project(), s.createdAt(),
                new Spec(s.cluster(), s.workspace(), s.location(), s.prefix(), s.includeDisks(), s.includeClusterResources(),
                        s.namespaces(), s.retentionDays(), new When(s.preset(), s.preset() == null ? s.custom() : null),
                        s.timeZone() == null ? "UTC" : s.timeZone()),
                new Status(s.paused() ? Phase.Paused : Phase.Active, s.nextRunAt(), s.lastBackup(), s.lastError()));
    }
}
