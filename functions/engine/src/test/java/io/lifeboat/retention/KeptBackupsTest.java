package io.lifeboat.retention;

import io.lifeboat.backup.Backup;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.work.ManualClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The selection of retention by count, table by table: each case is a series of backups (taken as a schedule would,
 * a ManualClock moved from slot to slot), the rules and the zone, and every backup kept with the rules that keep it.
 */
class KeptBackupsTest {
    static final ZoneId UTC = ZoneId.of("UTC");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** One row of a series: when its slot was taken (an instant), and how the backup ended; named b1, b2… in order. */
    record Row(String at, Backup.Phase phase) {
    }

    static Row ok(String at) {
        return new Row(at, Backup.Phase.Completed);
    }

    static Row partly(String at) {
        return new Row(at, Backup.Phase.PartiallyFailed);
    }

    static Row failed(String at) {
        return new Row(at, Backup.Phase.Failed);
    }

    /** The series, named b1… in the rows' order, each created at its row's instant as a ManualClock tells it. */
    static List<Backup> series(List<Row> rows) {
        ManualClock clock = new ManualClock(Instant.parse(rows.get(0).at()));
        List<Backup> series = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Instant at = Instant.parse(rows.get(i).at());
            clock.advance(Duration.between(clock.instant(), at));
            Backup requested = Backup.requested("p", "b" + (i + 1), "prod", "loc", List.of(), null, false, clock.instant(),
                    clock.instant().plus(Duration.ofDays(1))).asked("nightly", false);
            series.add(requested.finishedWith(new Backup.Outcome(rows.get(i).phase(), null, clock.instant(), 1, "x", 0, 0,
                    List.of(), List.of())));
        }
        return series;
    }

    static Map<String, List<String>> kept(String... nameAndRules) {
        Map<String, List<String>> kept = new LinkedHashMap<>();
        for (String entry : nameAndRules) {
            String[] parts = entry.split("=");
            kept.put(parts[0], List.of(parts[1].split(",")));
        }
        return kept;
    }

    static Stream<Arguments> cases() {
        List<Row> tenNights = new ArrayList<>();
        for (int day = 10; day <= 19; day++) {
            tenNights.add(ok("2026-11-" + day + "T01:00:00Z"));
        }
        return Stream.of(
                Arguments.of("without keep, the newest Completed backup alone", tenNights, null, UTC,
                        kept("b10=newest")),
                Arguments.of("last 3 of ten nightly backups", tenNights, new Keep(3, null, null, null), UTC,
                        kept("b10=newest,last", "b9=last", "b8=last")),
                Arguments.of("daily 3 with two backups a day: the newest of each day", List.of(
                        ok("2026-11-10T01:00:00Z"), ok("2026-11-10T13:00:00Z"), ok("2026-11-11T01:00:00Z"),
                        ok("2026-11-11T13:00:00Z"), ok("2026-11-12T01:00:00Z"), ok("2026-11-12T13:00:00Z")),
                        new Keep(null, 3, null, null), UTC,
                        kept("b6=newest,daily", "b4=daily", "b2=daily")),
                Arguments.of("days cut in UTC: 22:30Z and 23:30Z are one day", List.of(
                        ok("2026-11-22T22:00:00Z"), ok("2026-11-23T22:30:00Z"), ok("2026-11-23T23:30:00Z")),
                        new Keep(null, 2, null, null), UTC,
                        kept("b3=newest,daily", "b1=daily")),
                Arguments.of("the same backups, days cut in Berlin (UTC+1): 23:30Z is the next day there", List.of(
                        ok("2026-11-22T22:00:00Z"), ok("2026-11-23T22:30:00Z"), ok("2026-11-23T23:30:00Z")),
                        new Keep(null, 2, null, null), BERLIN,
                        kept("b3=newest,daily", "b2=daily")),
                Arguments.of("ISO weeks: Sunday and the Monday after are two weeks", List.of(
                        ok("2026-11-23T01:00:00Z"), ok("2026-11-29T01:00:00Z"), ok("2026-11-30T01:00:00Z")),
                        new Keep(null, null, 2, null), UTC,
                        kept("b3=newest,weekly", "b2=weekly")),
                Arguments.of("weeks cut in UTC: Sunday 23:30Z ends a week", List.of(
                        ok("2026-11-22T12:00:00Z"), ok("2026-11-29T23:30:00Z"), ok("2026-11-30T10:00:00Z")),
                        new Keep(null, null, 2, null), UTC,
                        kept("b3=newest,weekly", "b2=weekly")),
                Arguments.of("weeks cut in Berlin: Sunday 23:30Z is Monday 00:30 there, the week of the newest", List.of(
                        ok("2026-11-22T12:00:00Z"), ok("2026-11-29T23:30:00Z"), ok("2026-11-30T10:00:00Z")),
                        new Keep(null, null, 2, null), BERLIN,
                        kept("b3=newest,weekly", "b1=weekly")),
                Arguments.of("monthly 3 over a pause: months without a backup are skipped, not counted", List.of(
                        ok("2026-01-05T01:00:00Z"), ok("2026-01-25T01:00:00Z"), ok("2026-02-15T01:00:00Z"),
                        ok("2026-05-03T01:00:00Z"), ok("2026-05-10T01:00:00Z")),
                        new Keep(null, null, null, 3), UTC,
                        kept("b5=newest,monthly", "b3=monthly", "b2=monthly")),
                Arguments.of("grandfather-father-son: the rules together", List.of(
                        ok("2026-09-30T01:00:00Z"), ok("2026-10-31T01:00:00Z"), ok("2026-11-08T01:00:00Z"),
                        ok("2026-11-15T01:00:00Z"), ok("2026-11-21T01:00:00Z"), ok("2026-11-22T01:00:00Z"),
                        ok("2026-11-23T01:00:00Z")),
                        new Keep(1, 2, 2, 3), UTC,
                        kept("b7=newest,last,daily,weekly,monthly", "b6=daily,weekly", "b2=monthly", "b1=monthly")),
                Arguments.of("only Completed backups count: the newer PartiallyFailed and Failed ones are not kept by count",
                        List.of(ok("2026-11-20T01:00:00Z"), ok("2026-11-21T01:00:00Z"), partly("2026-11-22T01:00:00Z"),
                                failed("2026-11-23T01:00:00Z")),
                        new Keep(2, null, null, null), UTC,
                        kept("b2=newest,last", "b1=last")),
                Arguments.of("a series without a Completed backup keeps nothing", List.of(
                        partly("2026-11-22T01:00:00Z"), failed("2026-11-23T01:00:00Z")),
                        new Keep(5, 5, 5, 5), UTC, kept()),
                Arguments.of("two backups of the same instant: the name that sorts last is the newer", List.of(
                        ok("2026-11-23T01:00:00Z"), ok("2026-11-23T01:00:00Z")),
                        new Keep(null, 1, null, null), UTC,
                        kept("b2=newest,daily")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void selection(String what, List<Row> rows, Keep keep, ZoneId zone, Map<String, List<String>> expected) {
        Map<String, List<String>> kept = KeptBackups.of(series(rows), keep, zone);
        assertEquals(new TreeMap<>(expected), new TreeMap<>(kept), what);
    }

    @Test
    void rulesAreCheckedFieldByField() {
        assertEquals(null, Keep.check(null));
        assertEquals(new Keep(3, 0, 0, 0), Keep.check(new Keep(3, null, null, null)));
        assertEquals("keep", assertThrows(InvalidInputException.class, () -> Keep.check(new Keep(0, null, 0, null))).field());
        assertEquals("keep.daily", assertThrows(InvalidInputException.class, () -> Keep.check(new Keep(1, -1, null, null))).field());
        assertEquals("keep.monthly", assertThrows(InvalidInputException.class,
                () -> Keep.check(new Keep(null, null, null, Keep.MOST + 1))).field());
    }
}
