package io.lifeboat.aws.workers;

/** What an EventBridge schedule rule delivers to its Lambda target. */
final class ScheduledEvent {
    static final String JSON = """
            {"version":"0","id":"5a7d3c1e-0000-4000-8000-000000000001","detail-type":"Scheduled Event",
             "source":"aws.events","account":"123456789012","time":"2026-11-23T12:00:00Z","region":"us-east-1",
             "resources":["arn:aws:events:us-east-1:123456789012:rule/lifeboat-schedule"],"detail":{}}""";

    private ScheduledEvent() {
    }
}
