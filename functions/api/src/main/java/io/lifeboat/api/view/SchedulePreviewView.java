package io.lifeboat.api.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** The next runs a schedule would have if it were created now with the schedule and time zone asked. */
@Schema(name = "SchedulePreview")
public record SchedulePreviewView(String timeZone, List<Instant> nextRuns) {
}
