package io.lifeboat.run;

import io.lifeboat.work.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressThrottleTest {
    @Test
    void progressIsDueFirstThenAtMostOncePerInterval() {
        ManualClock clock = new ManualClock();
        ProgressThrottle throttle = new ProgressThrottle(clock);
        assertTrue(throttle.due(), "the first progress is recorded");
        assertFalse(throttle.due());
        clock.advance(Duration.ofMillis(999));
        assertFalse(throttle.due(), "not within the second");
        clock.advance(Duration.ofMillis(1));
        assertTrue(throttle.due(), "a second later");
        assertFalse(throttle.due());
    }
}
