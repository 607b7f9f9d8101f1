package io.lifeboat.signal;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one port told when a run ends. Its implementations (metrics, events, webhooks, the log) are chosen by the
 * wiring; a signal that fails never fails the run it reports.
 */
public interface RunSignals {
    RunSignals NONE = run -> { };

    void ended(RunEnded run);

    /** Every one of {@code signals}, in order; one that throws is logged and the others are still told. */
    static RunSignals all(List<RunSignals> signals) {
        List<RunSignals> each = List.copyOf(signals);
        Logger log = Logger.getLogger(RunSignals.class.getName());
        return run -> {
            for (RunSignals signal : each) {
                try {
                    signal.ended(run);
                } catch (RuntimeException e) {
                    log.log(Level.WARNING, "a signal of " + run.kind().function() + " " + run.name() + " failed: "
                            + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        };
    }
}
