package io.lifeboat.schedule;

import io.lifeboat.error.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScheduleSpecTest {
    static final Instant CREATED = Instant.parse("2026-01-07T10:00:00Z"); // a Wednesday

    static Map<String, Object> fields(String month, String dayOfMonth, String dayOfWeek, String hour, String minute) {
        Map<String, Object> fields = new LinkedHashMap<>();
        put(fields, "month", month);
        put(fields, "dayOfMonth", dayOfMonth);
        put(fields, "dayOfWeek", dayOfWeek);
        put(fields, "hour", hour);
        put(fields, "minute", minute);
        return fields;
    }

    private static void put(Map<String, Object> fields, String key, String value) {
        if (!value.equals("-")) {
            fields.put(key, value.replace(';', ','));
        }
    }

    @ParameterizedTest(name = "{0} after {1} in {2}")
    @CsvSource(delimiter = '|', textBlock = """
            weekly    | 2026-01-07T10:00:00Z | UTC           | 2026-01-11T00:00:00Z
            weekly    | 2026-01-11T00:00:00Z | UTC           | 2026-01-18T00:00:00Z
            weekly    | 2026-01-10T22:30:00Z | Europe/Berlin | 2026-01-10T23:00:00Z
            weekly    | 2026-01-10T23:30:00Z | Europe/Berlin | 2026-01-17T23:00:00Z
            biweekly  | 2026-01-07T10:00:00Z | UTC           | 2026-01-11T00:00:00Z
            biweekly  | 2026-01-11T00:00:00Z | UTC           | 2026-01-25T00:00:00Z
            biweekly  | 2026-01-20T00:00:00Z | UTC           | 2026-01-25T00:00:00Z
            biweekly  | 2026-01-26T00:00:00Z | UTC           | 2026-02-08T00:00:00Z
            monthly   | 2026-01-07T10:00:00Z | UTC           | 2026-02-01T00:00:00Z
            monthly   | 2026-12-31T23:59:00Z | UTC           | 2027-01-01T00:00:00Z
            monthly   | 2026-02-28T12:00:00Z | America/New_York | 2026-03-01T05:00:00Z
            bimonthly | 2026-01-07T10:00:00Z | UTC           | 2026-02-01T00:00:00Z
            bimonthly | 2026-02-01T00:00:00Z | UTC           | 2026-04-01T00:00:00Z
            bimonthly | 2026-11-15T00:00:00Z | UTC           | 2026-12-01T00:00:00Z
            bimonthly | 2026-12-01T00:00:00Z | UTC           | 2027-02-01T00:00:00Z
            """)
    void presets(String preset, String after, String zone, String expected) {
        assertEquals(Instant.parse(expected), ScheduleSpec.preset(ScheduleSpec.Preset.parse(preset), zone).nextAfter(Instant.parse(after), CREATED));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            every minute                | -  | -       | -     | -   | -     | UTC           | 2026-03-10T10:15:30Z | 2026-03-10T10:16:00Z
            a number                    | -  | -       | -     | 3   | 30    | UTC           | 2026-03-10T10:15:00Z | 2026-03-11T03:30:00Z
            a list                      | -  | 1;15    | -     | 0   | 0     | UTC           | 2026-03-02T00:00:00Z | 2026-03-15T00:00:00Z
            a range                     | -  | -       | 1-5   | 9   | 0     | UTC           | 2026-03-13T09:00:00Z | 2026-03-16T09:00:00Z
            a mixed list                | -  | -       | -     | 1-2;22 | 0  | UTC           | 2026-03-10T02:00:00Z | 2026-03-10T22:00:00Z
            day 31 skips short months   | -  | 31      | -     | 0   | 0     | UTC           | 2026-01-31T00:00:00Z | 2026-03-31T00:00:00Z
            the 30th at a month end     | -  | 30      | -     | 12  | 0     | UTC           | 2026-01-30T12:00:00Z | 2026-03-30T12:00:00Z
            29 February waits for leap  | 2  | 29      | -     | 0   | 0     | UTC           | 2026-01-01T00:00:00Z | 2028-02-29T00:00:00Z
            sunday as 0                 | -  | -       | 0     | 0   | 0     | UTC           | 2026-03-10T00:00:00Z | 2026-03-15T00:00:00Z
            sunday as 7                 | -  | -       | 7     | 0   | 0     | UTC           | 2026-03-10T00:00:00Z | 2026-03-15T00:00:00Z
            day of month or day of week | -  | 20      | 5     | 0   | 0     | UTC           | 2026-03-10T00:00:00Z | 2026-03-13T00:00:00Z
            a month                     | 12 | 25      | -     | 8   | 0     | UTC           | 2026-03-10T00:00:00Z | 2026-12-25T08:00:00Z
            a time zone                 | -  | -       | -     | 2   | 0     | Asia/Tokyo    | 2026-03-10T00:00:00Z | 2026-03-10T17:00:00Z
            DST gap runs once, shifted  | -  | -       | -     | 2   | 30    | Europe/Berlin | 2026-03-28T02:00:00Z | 2026-03-29T01:30:00Z
            DST overlap runs once       | -  | -       | -     | 2   | 30    | Europe/Berlin | 2026-10-25T00:29:00Z | 2026-10-25T00:30:00Z
            after the overlap slot      | -  | -       | -     | 2   | 30    | Europe/Berlin | 2026-10-25T00:30:00Z | 2026-10-26T01:30:00Z
            """)
    void customFields(String label, String month, String dayOfMonth, String dayOfWeek, String hour, String minute,
                      String zone, String after, String expected) {
        ScheduleSpec spec = ScheduleSpec.custom(fields(month, dayOfMonth, dayOfWeek, hour, minute), zone);
        assertEquals(Instant.parse(expected), spec.nextAfter(Instant.parse(after), CREATED));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            minute 60        | schedule.custom.minute     | -  | -  | -   | -  | 60
            hour 24          | schedule.custom.hour       | -  | -  | -   | 24 | 0
            month 0          | schedule.custom.month      | 0  | -  | -   | 0  | 0
            day 32           | schedule.custom.dayOfMonth | -  | 32 | -   | 0  | 0
            weekday 8        | schedule.custom.dayOfWeek  | -  | -  | 8   | 0  | 0
            backwards range  | schedule.custom.hour       | -  | -  | -   | 5-3 | 0
            not a number     | schedule.custom.minute     | -  | -  | -   | 0  | x
            empty list item  | schedule.custom.hour       | -  | -  | -   | 1;;2 | 0
            """)
    void badCustomFieldsNameTheField(String label, String field, String month, String dayOfMonth, String dayOfWeek,
                                     String hour, String minute) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ScheduleSpec.custom(fields(month, dayOfMonth, dayOfWeek, hour, minute), null));
        assertEquals(field, e.field());
    }

    @org.junit.jupiter.api.Test
    void unknownPresetsZonesAndFieldsAreRefused() {
        assertEquals("schedule.preset", assertThrows(InvalidInputException.class, () -> ScheduleSpec.Preset.parse("daily")).field());
        assertEquals("timeZone", assertThrows(InvalidInputException.class, () -> ScheduleSpec.preset(ScheduleSpec.Preset.weekly, "Mars/Olympus")).field());
        assertEquals("schedule.custom.second", assertThrows(InvalidInputException.class,
                () -> ScheduleSpec.custom(Map.of("second", "0"), null)).field());
        assertEquals("schedule.custom", assertThrows(InvalidInputException.class, () -> ScheduleSpec.custom(
                Map.of("month", "2", "dayOfMonth", "30"), null).nextAfter(CREATED, CREATED)).field());
    }
}
