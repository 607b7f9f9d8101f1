package io.lifeboat.app.signal;

import io.lifeboat.signal.RunEvent;
import io.lifeboat.signal.RunEventSink;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

import java.time.Instant;

/**
 * Events to an EventBridge bus ({@code source: lifeboat}, the detail type and detail of {@link RunEvent}), where users
 * route failures to SNS, Slack or a pager with a rule. An entry EventBridge refuses is an error the signals log.
 */
public final class EventBridgeRunEvents implements RunEventSink {
    private final EventBridgeClient events;
    private final String bus;

    public EventBridgeRunEvents(EventBridgeClient events, String bus) {
        this.events = events;
        this.bus = bus;
    }

    @Override
    public void send(RunEvent event) {
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                .eventBusName(bus)
                .source(RunEvent.SOURCE)
                .detailType(event.detailType())
                .detail(event.detailJson())
                .time(event.time() == null ? Instant.now() : event.time())
                .build();
        PutEventsResponse response = events.putEvents(r -> r.entries(entry));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            throw new IllegalStateException("EventBridge refused the event " + event.detailType() + ": "
                    + response.entries().get(0).errorCode() + " " + response.entries().get(0).errorMessage());
        }
    }
}
