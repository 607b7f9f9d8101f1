output "api_url" {
  description = "Base URL of the API; paths start with /v1/projects/<project>/."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "console_url" {
  description = "The web console (the same function serves it): register this URL as the console client's callback."
  value       = "${trimsuffix(aws_apigatewayv2_stage.default.invoke_url, "/")}/"
}

output "table_names" {
  description = "The DynamoDB tables."
  value       = { for name, table in aws_dynamodb_table.table : name => table.name }
}

output "function_names" {
  description = "The Lambda functions (each is called through its alias \"live\")."
  value       = local.function_names
}

output "kms_key_arn" {
  description = "The key that wraps secrets and encrypts the tables."
  value       = aws_kms_key.lifeboat.arn
}

output "dead_letter_queue_url" {
  description = "Failed asynchronous invocations land here."
  value       = aws_sqs_queue.failed.url
}

output "backup_location_role_arn" {
  description = "The role AWS backup locations name (with backup_location_external_id), or null when not created."
  value       = one(aws_iam_role.backup_location[*].arn)
}

output "event_bus_name" {
  description = "Lifeboat's EventBridge bus: the end of each backup, restore and workspace run, and Unavailable locations."
  value       = aws_cloudwatch_event_bus.lifeboat.name
}

output "failures_topic_arn" {
  description = "The SNS topic failed runs, Unavailable locations and the alarms publish to: subscribe to it."
  value       = aws_sns_topic.failures.arn
}
