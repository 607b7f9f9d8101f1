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

    /**
     * The request's fields: {@code cluster} or {@code workspace}; {@code schedule} is {preset} or {custom};
     * {@code keep}: its retention by count, absent when none was asked; {@code verifyAfter}: each backup's files are
     * verified once it has finished.
     */
    @Schema(name = "ScheduleSpec")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(String cluster, String workspace, String location, String prefix, boolean includeDisks,
                       Boolean includeClusterResources, List<String> namespaces, int retentionDays, When schedule,
                       String timeZone, Keep keep, boolean verifyAfter) {
    }

    /**
     * Retention by count, beside {@code retentionDays}: the {@code last} N Completed backups, and the newest Completed
     * backup of each of the last {@code daily} days, {@code weekly} ISO weeks and {@code monthly} months that hold one,
     * cut in the schedule's time zone, are kept past their expiry. 0 keeps none by that rule.
     */
    @Schema(name = "ScheduleKeep")
    public record Keep(int last, int daily, int weekly, int monthly) {
        static Keep of(io.lifeboat.retention.Keep k) {
            return k == null ? null : new Keep(or0(k.last()), or0(k.daily()), or0(k.weekly()), or0(k.monthly()));
        }

        private static int or0(Integer count) {
            return count == null ? 0 : count;
        }
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
                        s.timeZone() == null ? "UTC" : s.timeZone(), Keep.of(s.keep()), s.verifyAfter()),
                new Status(s.paused() ? Phase.Paused : Phase.Active, s.nextRunAt(), s.lastBackup(), s.lastError()));
    }
}
