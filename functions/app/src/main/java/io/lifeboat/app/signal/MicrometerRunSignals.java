package io.lifeboat.app.signal;

import io.lifeboat.signal.RunEnded;
import io.lifeboat.signal.RunSignals;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The same numbers as {@link EmfRunSignals}, as Micrometer meters (local mode serves them on {@code /q/metrics}):
 * {@code lifeboat_runs_total} and {@code lifeboat_run_duration_seconds} by function and phase, and totals of items,
 * bytes, warnings and errors by function.
 */
public final class MicrometerRunSignals implements RunSignals {
    private final MeterRegistry registry;

    public MicrometerRunSignals(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void ended(RunEnded run) {
        Tags byPhase = Tags.of("function", run.kind().function(), "phase", run.phase());
        Tags byFunction = Tags.of("function", run.kind().function());
        registry.counter("lifeboat.runs", byPhase).increment();
        registry.timer("lifeboat.run.duration", byPhase).record(run.duration());
        registry.counter("lifeboat.run.items", byFunction).increment(run.items());
        registry.counter("lifeboat.run.bytes", byFunction).increment(run.bytes());
        registry.counter("lifeboat.run.warnings", byFunction).increment(run.warnings());
        registry.counter("lifeboat.run.errors", byFunction).increment(run.errors());
    }
}
