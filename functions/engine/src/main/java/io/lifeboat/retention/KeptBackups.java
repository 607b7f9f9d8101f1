package io.lifeboat.retention;

import io.lifeboat.backup.Backup;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which backups of one series (the backups one schedule took of one cluster) its retention keeps, whatever their
 * expiry. The rules, precisely:
 * <ul>
 *   <li>Only {@code Completed} backups count and can be kept by count. A PartiallyFailed, Failed or running one is
 *   neither counted nor kept by these rules: it goes at its own expiry ({@code retentionDays}), as before.</li>
 *   <li>A backup's time is its {@code createdAt} (when its slot was taken); newer first, and of two taken at the same
 *   instant, the one whose name sorts last.</li>
 *   <li>{@code newest}: the newest Completed backup is always kept, with or without {@code keep}.</li>
 *   <li>{@code last}: the N newest Completed backups.</li>
 *   <li>{@code daily}, {@code weekly}, {@code monthly}: going from the newest, the newest Completed backup of each
 *   period that holds one, until D days, W weeks or M months holding one have been counted (periods without a backup,
 *   such as while the schedule was paused, are skipped, not counted: restic's and Borg's rule). Days are calendar
 *   days, weeks ISO weeks (Monday to Sunday, of the ISO week-based year) and months calendar months, all cut in the
 *   schedule's time zone.</li>
 * </ul>
 * A backup is kept when any rule keeps it; the others go at their expiry.
 */
public final class KeptBackups {
    public static final String NEWEST = "newest";
    public static final String LAST = "last";
    public static final String DAILY = "daily";
    public static final String WEEKLY = "weekly";
    public static final String MONTHLY = "monthly";

    private static final Comparator<Backup> NEWEST_FIRST = Comparator.comparing(Backup::createdAt)
            .thenComparing(Backup::name).reversed();

    private KeptBackups() {
    }

    /**
     * The backups of the series that are kept, each with the rules that keep it (in the order newest, last, daily,
     * weekly, monthly). {@code keep} may be null (only the newest is kept); {@code zone} is the schedule's.
     */
    public static Map<String, List<String>> of(List<Backup> series, Keep keep, ZoneId zone) {
        List<Backup> counted = series.stream().filter(b -> b.phase() == Backup.Phase.Completed)
                .sorted(NEWEST_FIRST).toList();
        Map<String, List<String>> kept = new LinkedHashMap<>();
        if (counted.isEmpty()) {
            return kept;
        }
        keep(kept, counted.get(0), NEWEST);
        if (keep == null) {
            return kept;
        }
        counted.stream().limit(keep.lastOrZero()).forEach(b -> keep(kept, b, LAST));
        perPeriod(kept, counted, keep.dailyOrZero(), DAILY, b -> day(b, zone));
        perPeriod(kept, counted, keep.weeklyOrZero(), WEEKLY, b -> {
            LocalDate day = day(b, zone);
            return day.get(IsoFields.WEEK_BASED_YEAR) + "-W" + day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        });
        perPeriod(kept, counted, keep.monthlyOrZero(), MONTHLY, b -> YearMonth.from(day(b, zone)));
        return kept;
    }

    /** The newest backup of each of the {@code periods} newest periods holding one; {@code counted} is newest first. */
    private static void perPeriod(Map<String, List<String>> kept, List<Backup> counted, int periods, String rule,
                                  Function<Backup, Object> period) {
        Set<Object> seen = new HashSet<>();
        for (Backup backup : counted) {
            if (seen.size() >= periods) {
                return;
            }
            if (seen.add(period.apply(backup))) {
                keep(kept, backup, rule);
            }
        }
    }

    private static LocalDate day(Backup backup, ZoneId zone) {
        return backup.createdAt().atZone(zone).toLocalDate();
    }

    private static void keep(Map<String, List<String>> kept, Backup backup, String rule) {
        List<String> rules = kept.computeIfAbsent(backup.name(), n -> new ArrayList<>());
        if (!rules.contains(rule)) {
            rules.add(rule);
        }
    }
}
