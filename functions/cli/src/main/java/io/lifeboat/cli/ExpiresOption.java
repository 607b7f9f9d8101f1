package io.lifeboat.cli;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --expires}: a time to live ("30d", "12h", "90m", "2w") from now, a date ("2027-01-31", its midnight in the
 * user's time zone) or a full ISO-8601 time ("2027-01-31T12:00:00Z"); sent to the API as {@code expiresAt}.
 */
final class ExpiresOption {
    private static final Pattern TTL = Pattern.compile("(\\d+)([smhdw])");

    private ExpiresOption() {
    }

    static String expiresAt(String value, Clock clock, ZoneId zone) {
        if (value == null) {
            return null;
        }
        String text = value.trim();
        Matcher ttl = TTL.matcher(text);
        if (ttl.matches()) {
            long amount = Long.parseLong(ttl.group(1));
            Duration duration = switch (ttl.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofDays(7 * amount);
            };
            return OffsetDateTime.ofInstant(clock.instant().plus(duration), ZoneOffset.UTC).toString();
        }
        try {
            return OffsetDateTime.parse(text).toString();
        } catch (DateTimeParseException notATime) {
            try {
                return LocalDate.parse(text).atStartOfDay(zone).toOffsetDateTime().toString();
            } catch (DateTimeException notADate) {
                throw new CliException("--expires: '" + value + "' is neither a time to live (30d, 12h, 2w) nor a date"
                        + " (2027-01-31) nor an ISO-8601 time (2027-01-31T12:00:00Z)", ExitCodes.USAGE);
            }
        }
    }
}
