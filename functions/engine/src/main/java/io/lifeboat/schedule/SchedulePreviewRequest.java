package io.lifeboat.schedule;

/**
 * The body of {@code POST /v1/projects/{project}/schedules/preview}: the {@code schedule} and {@code timeZone} a
 * schedule would be created with, and how many of its next runs to show ({@code count}, 1 to 20, 5 unless given).
 */
public record SchedulePreviewRequest(ScheduleRequest.When schedule, String timeZone, Integer count) {
}
