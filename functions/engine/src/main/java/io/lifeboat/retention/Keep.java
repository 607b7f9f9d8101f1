package io.lifeboat.retention;

import io.lifeboat.error.InvalidInputException;

/**
 * A schedule's retention by count, beside its {@code retentionDays}: keep the {@code last} N backups, and the newest
 * backup of each of the last {@code daily} days, {@code weekly} weeks and {@code monthly} months that hold one
 * (grandfather-father-son). Absent means 0. See {@link KeptBackups} for which backups count and how the periods are
 * cut.
 */
public record Keep(Integer last, Integer daily, Integer weekly, Integer monthly) {
    /** The most any one rule may keep. */
    public static final int MOST = 1000;

    /**
     * The rules as asked, checked: each a whole number from 0 to {@value #MOST} (a 400 naming {@code keep.<rule>}), and
     * at least one above 0 (a 400 naming {@code keep}). Null when none was asked.
     */
    public static Keep check(Keep asked) {
        if (asked == null) {
            return null;
        }
        int last = count("keep.last", asked.last);
        int daily = count("keep.daily", asked.daily);
        int weekly = count("keep.weekly", asked.weekly);
        int monthly = count("keep.monthly", asked.monthly);
        if (last + daily + weekly + monthly == 0) {
            throw new InvalidInputException("keep", "give at least one of last, daily, weekly or monthly above 0");
        }
        return new Keep(last, daily, weekly, monthly);
    }

    private static int count(String field, Integer value) {
        if (value == null) {
            return 0;
        }
        if (value < 0 || value > MOST) {
            throw new InvalidInputException(field, "must be from 0 to " + MOST);
        }
        return value;
    }

    int lastOrZero() {
        return last == null ? 0 : last;
    }

    int dailyOrZero() {
        return daily == null ? 0 : daily;
    }

    int weeklyOrZero() {
        return weekly == null ? 0 : weekly;
    }

    int monthlyOrZero() {
        return monthly == null ? 0 : monthly;
    }
}
