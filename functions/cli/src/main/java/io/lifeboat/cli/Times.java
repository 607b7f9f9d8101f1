package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Times as people read them: absolute in the user's time zone ("2026-11-23 10:00:00 UTC") and relative to now
 * ("5m ago", "in 29d"), and durations ("1m 05s").
 */
final class Times {
    private static final DateTimeFormatter ABSOLUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private final Clock clock;
    private final ZoneId zone;

    Times(Clock clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    static Times of(CliIo io) {
        return new Times(io.clock(), io.zone());
    }

    /** The instant of a JSON field, or null when absent or not a time. */
    static Instant instant(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    String absolute(Instant at) {
        return at == null ? "" : ABSOLUTE.format(at.atZone(zone));
    }

    /** "2026-11-23 10:00:00 UTC (5m ago)". */
    String both(Instant at) {
        return at == null ? "" : absolute(at) + " (" + relative(at) + ")";
    }

    String both(JsonNode node) {
        return both(instant(node));
    }

    /** "5m ago", "in 29d", "just now". */
    String relative(Instant at) {
        if (at == null) {
            return "";
        }
        Duration between = Duration.between(clock.instant(), at);
        if (between.abs().getSeconds() < 1) {
            return "just now";
        }
        String span = compact(between.abs());
        return between.isNegative() ? span + " ago" : "in " + span;
    }

    String relative(JsonNode node) {
        return relative(instant(node));
    }

    /** The largest unit or two: "45s", "3m", "2h 5m", "29d", "1y 12d". */
    static String compact(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m";
        }
        if (s < 86_400) {
            long m = (s % 3600) / 60;
            return (s / 3600) + "h" + (m == 0 ? "" : " " + m + "m");
        }
        long days = s / 86_400;
        if (days < 365) {
            return days + "d";
        }
        return (days / 365) + "y" + (days % 365 == 0 ? "" : " " + (days % 365) + "d");
    }

    /** A run's duration: tenths of a second under a minute ("0.6s", "42.0s"), else {@link #compact}. */
    static String duration(Duration d) {
        return d.toMillis() < 60_000 ? String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0) : compact(d);
    }

    /** An elapsed time as a clock: "0:07", "12:30", "1:02:03". */
    static String clock(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
