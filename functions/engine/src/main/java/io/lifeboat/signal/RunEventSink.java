package io.lifeboat.signal;

/** Where events go: EventBridge in AWS, the log locally, and every project's webhooks. */
public interface RunEventSink {
    void send(RunEvent event);

    /** The signal that sends the event of each run that ended, if it is one. */
    default RunSignals signals() {
        return run -> RunEvent.of(run).ifPresent(this::send);
    }
}
