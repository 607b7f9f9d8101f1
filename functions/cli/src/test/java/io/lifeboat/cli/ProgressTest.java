package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How --wait draws progress: on a terminal, bars redrawn in place (the cursor goes back up over the lines drawn);
 * otherwise plain lines, only when something changed, without escape codes. The watch reads the record until its
 * phase is a finished one. Time is a counter here, never the clock.
 */
class ProgressTest {
    static final String ESC = "\u001b[";

    static Bar bar(String label, long done, long total, String phase) {
        return new Bar(label, done, total, 12.0, Duration.ofSeconds(3), phase);
    }

    @Test
    void aBarShowsItemsRateElapsedAndPhase() {
        assertEquals("first  [###############---------------]  26/52 items  12 items/s  0:03  InProgress",
                bar("first", 26, 52, "InProgress").render(5, true));
        assertEquals("first  [------------------------------]  0/? items  - items/s  0:00  New",
                new Bar("first", 0, 0, null, Duration.ZERO, "New").render(5, true));
        assertEquals("a      52/52 items  12 items/s  0:03  Completed", bar("a", 52, 52, "Completed").render(5, false));
        assertEquals("a      [#############################-]  15/15 items  12 items/s  0:03  InProgress",
                bar("a", 15, 15, "InProgress").render(5, true), "a running backup's total is only what it has listed");
        assertEquals("empty  0/0 items  - items/s  0:01  Completed",
                new Bar("empty", 0, 0, null, Duration.ofSeconds(1), "Completed").render(5, false), "finished: the total is known");
    }

    @Test
    void onATerminalBarsAreRedrawnInPlace() {
        StringWriter text = new StringWriter();
        TerminalProgress view = new TerminalProgress(new PrintWriter(text), 160);
        view.update(List.of(bar("sandbox", 1, 10, "InProgress"), bar("sandbox-2", 0, 0, "New")));
        String first = text.toString();
        assertFalse(first.contains(ESC + "2A"), "nothing to go back over yet");
        view.update(List.of(bar("sandbox", 5, 10, "InProgress"), bar("sandbox-2", 3, 8, "InProgress")));
        view.finish(List.of(bar("sandbox", 10, 10, "Completed"), bar("sandbox-2", 8, 8, "Completed")));
        String all = text.toString();
        assertEquals(2, all.split(java.util.regex.Pattern.quote(ESC + "2A"), -1).length - 1, "the two later draws go back up two lines: " + all);
        assertTrue(all.contains("sandbox    [##############################]  10/10 items"), all);
        assertTrue(all.contains(ESC + "K"), "each line erased to its end");
    }

    @Test
    void onANarrowTerminalLinesAreCutSoThatNoneWraps() {
        StringWriter text = new StringWriter();
        new TerminalProgress(new PrintWriter(text), 40).update(List.of(bar("sandbox", 1, 10, "InProgress")));
        String line = text.toString().substring(1, text.toString().indexOf(ESC + "K"));
        assertEquals(39, line.length(), line);
    }

    /** A 5xx or a dropped connection while waiting is ridden out; a 4xx ends the wait at once. */
    @Test
    void aPassingFailureDoesNotEndTheWait() {
        Deque<Object> answers = new ArrayDeque<>(List.of(new ApiError(502, null, null, "bad gateway"),
                new CliException("cannot reach Lifeboat"), backup("Completed", 1, 1, null, null)));
        RunWatch watch = new RunWatch(new PlainProgress(new PrintWriter(new StringWriter()), () -> 0), () -> 0, Duration.ZERO);
        java.util.function.Supplier<JsonNode> poll = () -> {
            Object next = answers.poll();
            if (next instanceof CliException e) {
                throw e;
            }
            return (JsonNode) next;
        };
        JsonNode last = watch.await(poll, r -> List.of(), r -> r.path("phase").asText().equals("Completed"));
        assertEquals("Completed", last.path("phase").asText());

        answers.add(new ApiError(404, "NotFound", null, "backup 'b' does not exist"));
        CliException gone = org.junit.jupiter.api.Assertions.assertThrows(CliException.class,
                () -> watch.await(poll, r -> List.of(), r -> true));
        assertEquals("backup 'b' does not exist", gone.getMessage());
    }

    @Test
    void withoutATerminalLinesArePlainAndOnlyWhenSomethingChanged() {
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong();
        PlainProgress view = new PlainProgress(new PrintWriter(text), now::get);
        view.update(List.of(bar("b", 0, 0, "New")));
        view.update(List.of(bar("b", 0, 0, "New")));
        now.addAndGet(500);
        view.update(List.of(bar("b", 1, 10, "InProgress")));
        now.addAndGet(500);
        view.update(List.of(bar("b", 2, 10, "InProgress")));
        now.addAndGet(PlainProgress.EVERY_MILLIS);
        view.update(List.of(bar("b", 5, 10, "InProgress")));
        view.finish(List.of(bar("b", 10, 10, "Completed")));
        assertEquals("""
                b  0/? items  12 items/s  0:03  New
                b  1/10 items  12 items/s  0:03  InProgress
                b  5/10 items  12 items/s  0:03  InProgress
                b  10/10 items  12 items/s  0:03  Completed
                """, text.toString());
        assertFalse(text.toString().contains("\u001b") || text.toString().contains("\r"));
    }

    @Test
    void theWatchReadsUntilAFinishedPhaseAndCountsItemsPerSecond() {
        Deque<JsonNode> records = new ArrayDeque<>();
        records.add(backup("New", 0, 0, null, null));
        records.add(backup("InProgress", 10, 100, "2026-11-23T10:00:00Z", null));
        records.add(backup("InProgress", 60, 100, "2026-11-23T10:00:00Z", null));
        records.add(backup("Completed", 100, 100, "2026-11-23T10:00:00Z", "2026-11-23T10:00:04Z"));
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong();
        RunWatch watch = new RunWatch(new TerminalProgress(new PrintWriter(text), 160), () -> now.addAndGet(1000), Duration.ZERO);
        JsonNode last = watch.await(records::poll, r -> List.of(new RunWatch.Item("b", r.path("done").asLong(),
                r.path("total").asLong(), r.path("phase").asText(), Times.instant(r.path("startedAt")),
                Times.instant(r.path("completedAt")))), r -> r.path("phase").asText().equals("Completed"));
        assertEquals("Completed", last.path("phase").asText());
        assertTrue(records.isEmpty());
        String lines = text.toString();
        assertTrue(lines.contains("60/100 items  30 items/s  0:03  InProgress"),
                "60 items in the 2 s since the watch first saw the run: " + lines);
        assertTrue(lines.contains("100/100 items  25 items/s  0:04  Completed"),
                "once finished, 100 items in its own 4 s: " + lines);
    }

    static JsonNode backup(String phase, long done, long total, String startedAt, String completedAt) {
        var node = ApiClient.object().put("phase", phase).put("done", done).put("total", total);
        if (startedAt != null) {
            node.put("startedAt", Instant.parse(startedAt).toString());
        }
        if (completedAt != null) {
            node.put("completedAt", completedAt);
        }
        return node;
    }

    @Test
    void finishedPhasesGiveTheExitCodes() {
        assertEquals(0, ExitCodes.ofPhase("Completed"));
        assertEquals(1, ExitCodes.ofPhase("Failed"));
        assertEquals(2, ExitCodes.ofPhase("PartiallyFailed"));
    }
}
