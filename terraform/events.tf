# Operations signals. Each run's end is an event on Lifeboat's bus (source "lifeboat", detail-type such as
# "Backup Failed", detail with project, name, phase and counts); each run also writes an EMF line, which CloudWatch
# turns into metrics of namespace Lifeboat (Runs, Failed, DurationMs, Items, Bytes, Warnings, Errors, by function and
# by function and phase). The rule, topic and alarms below are an example to adapt: subscribe to the topic, or
# add rules of your own on the bus (to Slack, a pager, another account).
locals {
  # The functions that end runs and so put events; sweep-expired and tick-schedules write metrics only.
  event_emitters = ["run-backup", "run-restore", "validate-location"]

  failure_detail_types = [
    "Backup Failed", "Backup Partially Failed", "Restore Failed", "Restore Partially Failed",
    "Workspace Backup Failed", "Workspace Backup Partially Failed", "Workspace Restore Failed",
    "Workspace Restore Partially Failed", "Location Unavailable",
  ]
}

resource "aws_cloudwatch_event_bus" "lifeboat" {
  name = "${var.name_prefix}-events"
}

# Not encrypted with the AWS-managed SNS key: EventBridge and CloudWatch alarms cannot publish to a topic under it
# (its key policy grants them nothing). The messages carry names, phases and counts, never a secret.
resource "aws_sns_topic" "failures" {
  name = "${var.name_prefix}-failures"
}

data "aws_iam_policy_document" "failures_topic" {
  statement {
    sid       = "EventBridgeAndAlarms"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.failures.arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com", "cloudwatch.amazonaws.com"]
    }
  }
}

resource "aws_sns_topic_policy" "failures" {
  arn    = aws_sns_topic.failures.arn
  policy = data.aws_iam_policy_document.failures_topic.json
}

# Example: every failed or partially failed run, and every location that turns Unavailable, to the topic.
resource "aws_cloudwatch_event_rule" "failed_runs" {
  name           = "${var.name_prefix}-failed-runs"
  description    = "Lifeboat runs that failed, and locations that turned Unavailable"
  event_bus_name = aws_cloudwatch_event_bus.lifeboat.name
  event_pattern = jsonencode({
    source        = ["lifeboat"]
    "detail-type" = local.failure_detail_types
  })
}

resource "aws_cloudwatch_event_target" "failed_runs" {
  rule           = aws_cloudwatch_event_rule.failed_runs.name
  event_bus_name = aws_cloudwatch_event_bus.lifeboat.name
  arn            = aws_sns_topic.failures.arn
}

# A failed asynchronous invocation (after its retries) waits in the dead-letter queue: someone should look.
resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${var.name_prefix}-dead-letters"
  alarm_description   = "Invocations of Lifeboat's workers failed after their retries (see the queue)"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.failed.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.failures.arn]
}

# The EMF metric Failed (1 for each run that ended Failed or PartiallyFailed), per function that runs them.
resource "aws_cloudwatch_metric_alarm" "failed_runs" {
  for_each = toset(["run-backup", "run-restore"])

  alarm_name          = "${var.name_prefix}-${each.key}-failed"
  alarm_description   = "Lifeboat ${each.key} runs ended Failed or PartiallyFailed"
  namespace           = "Lifeboat"
  metric_name         = "Failed"
  dimensions          = { function = each.key }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.failures.arn]
}
