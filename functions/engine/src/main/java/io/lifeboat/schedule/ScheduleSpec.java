package io.lifeboat.schedule;

import io.lifeboat.error.InvalidInputException;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;

/**
 * When a schedule runs: a preset (weekly, biweekly, monthly, bimonthly, all at 00:00) or a custom cron-like rule of
 * month, day of month, day of week (0 or 7 is Sunday), hour and minute, in a time zone (UTC unless given).
 *
 * <p>Rules, written down: as in cron, when both day of month and day of week are restricted, a day matching either
 * runs. A slot inside a daylight-saving gap runs once at the first valid instant after it; a slot in an overlap runs
 * once, at its first occurrence. "biweekly" is every second Sunday counted from the first Sunday after creation;
 * "bimonthly" is the 1st of every second month counted from the first 1st after creation.
 */
public final class ScheduleSpec {
    private static final int SEARCH_DAYS = 366 * 5;

    /** The presets, every one at 00:00 in the schedule's time zone; the constants are the wire names. */
    public enum Preset {
        weekly, biweekly, monthly, bimonthly;

        /** The preset a request names; any other word is refused, naming {@code schedule.preset}. */
        public static Preset parse(String given) {
            for (Preset p : values()) {
                if (p.name().equals(given)) {
                    return p;
                }
            }
            throw new InvalidInputException("schedule.preset", "'" + given + "' is not weekly, biweekly, monthly or bimonthly");
        }
    }

    private final Preset preset;
    private final CronField month;
    private final CronField dayOfMonth;
    private final CronField dayOfWeek;
    private final CronField hour;
    private final CronField minute;
    private final ZoneId zone;

    private ScheduleSpec(Preset preset, CronField month, CronField dayOfMonth, CronField dayOfWeek, CronField hour,
                         CronField minute, ZoneId zone) {
        this.preset = preset;
        this.month = month;
        this.dayOfMonth = dayOfMonth;
        this.dayOfWeek = dayOfWeek;
        this.hour = hour;
        this.minute = minute;
        this.zone = zone;
    }

    public static ScheduleSpec preset(Preset preset, String timeZone) {
        return new ScheduleSpec(preset, null, null, null, null, null, zone(timeZone));
    }

    /** Fields as sent: numbers or strings; an absent field is {@code *}. */
    public static ScheduleSpec custom(Map<String, Object> fields, String timeZone) {
        for (String key : fields.keySet()) {
            if (!java.util.List.of("month", "dayOfMonth", "dayOfWeek", "hour", "minute").contains(key)) {
                throw new InvalidInputException("schedule.custom." + key, "is not a known field");
            }
        }
        CronField dayOfWeek = CronField.parse("schedule.custom.dayOfWeek", fields.get("dayOfWeek"), 0, 7);
        return new ScheduleSpec(null,
                CronField.parse("schedule.custom.month", fields.get("month"), 1, 12),
                CronField.parse("schedule.custom.dayOfMonth", fields.get("dayOfMonth"), 1, 31),
                dayOfWeek,
                CronField.parse("schedule.custom.hour", fields.get("hour"), 0, 23),
                CronField.parse("schedule.custom.minute", fields.get("minute"), 0, 59),
                zone(timeZone));
    }

    private static ZoneId zone(String timeZone) {
        if (timeZone == null) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(timeZone);
        } catch (RuntimeException e) {
            throw new InvalidInputException("timeZone", "'" + timeZone + "' is not an IANA time zone");
        }
    }

    /** The first slot strictly after {@code after}; {@code createdAt} anchors biweekly and bimonthly. */
    public Instant nextAfter(Instant after, Instant createdAt) {
        if (preset != null) {
            return nextPreset(after, createdAt);
        }
        ZonedDateTime from = after.atZone(zone);
        LocalDate day = from.toLocalDate();
        for (int i = 0; i <= SEARCH_DAYS; i++, day = day.plusDays(1)) {
            if (!dayMatches(day)) {
                continue;
            }
            for (int h = hour.next(0); h >= 0; h = hour.next(h + 1)) {
                for (int m = minute.next(0); m >= 0; m = minute.next(m + 1)) {
                    Instant slot = ZonedDateTime.of(day, LocalTime.of(h, m), zone).toInstant();
                    if (slot.isAfter(after)) {
                        return slot;
                    }
                }
            }
        }
        throw new InvalidInputException("schedule.custom", "never runs (no such date in five years)");
    }

    private boolean dayMatches(LocalDate day) {
        if (!month.matches(day.getMonthValue())) {
            return false;
        }
        int weekday = day.getDayOfWeek().getValue() % 7; // Sunday is 0
        boolean byDayOfMonth = dayOfMonth.matches(day.getDayOfMonth());
        boolean byDayOfWeek = dayOfWeek.matches(weekday) || (weekday == 0 && dayOfWeek.matches(7));
        if (!dayOfMonth.any() && !dayOfWeek.any()) {
            return byDayOfMonth || byDayOfWeek;
        }
        return byDayOfMonth && byDayOfWeek;
    }

    private Instant nextPreset(Instant after, Instant createdAt) {
        ZonedDateTime from = after.atZone(zone);
        switch (preset) {
            case weekly -> {
                return nextSunday(from).toInstant();
            }
            case monthly -> {
                return nextFirst(from).toInstant();
            }
            case biweekly -> {
                ZonedDateTime anchor = nextSunday(createdAt.atZone(zone));
                if (anchor.toInstant().isAfter(after)) {
                    return anchor.toInstant();
                }
                long weeks = ChronoUnit.WEEKS.between(anchor.toLocalDate(), from.toLocalDate());
                ZonedDateTime slot = atMidnight(anchor.toLocalDate().plusWeeks(weeks - weeks % 2));
                while (!slot.toInstant().isAfter(after)) {
                    slot = atMidnight(slot.toLocalDate().plusWeeks(2));
                }
                return slot.toInstant();
            }
            case bimonthly -> {
                ZonedDateTime anchor = nextFirst(createdAt.atZone(zone));
                ZonedDateTime slot = anchor;
                while (!slot.toInstant().isAfter(after)) {
                    slot = atMidnight(slot.toLocalDate().plusMonths(2));
                }
                return slot.toInstant();
            }
            default -> throw new IllegalStateException("unknown preset " + preset);
        }
    }

    private ZonedDateTime nextSunday(ZonedDateTime from) {
        LocalDate sunday = from.toLocalDate().with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
        ZonedDateTime slot = atMidnight(sunday);
        return slot.isAfter(from) ? slot : atMidnight(sunday.plusWeeks(1));
    }

    private ZonedDateTime nextFirst(ZonedDateTime from) {
        LocalDate first = from.toLocalDate().withDayOfMonth(1);
        ZonedDateTime slot = atMidnight(first);
        return slot.isAfter(from) ? slot : atMidnight(first.plusMonths(1));
    }

    private ZonedDateTime atMidnight(LocalDate day) {
        return ZonedDateTime.of(LocalDateTime.of(day, LocalTime.MIDNIGHT), zone);
    }

    public ZoneId zone() {
        return zone;
    }
}
