# The six Lambda functions: the API, and the five Funqy workers from one zip, each chosen by QUARKUS_FUNQY_EXPORT.
# Every function publishes a version and is called through its alias "live", which is what SnapStart restores.
locals {
  alias = "live"

  workers = {
    "validate-location" = { memory = 512, timeout = 120, snap_start = true, ephemeral_mb = 512, reserved = -1 }
    # A fleet's backups all come due in one slot: run-backup and run-restore get concurrency of their own, so that
    # they neither take the whole account's nor are starved by other functions. Lambda queues the asynchronous
    # invocations it cannot run yet and runs them as instances free up.
    "run-backup" = { memory = 2048, timeout = 900, snap_start = true, ephemeral_mb = 512, reserved = var.run_backup_reserved_concurrency }
    # run-restore spools the archive to /tmp, and SnapStart allows no more than 512 MB of it.
    "run-restore"    = { memory = 2048, timeout = 900, snap_start = false, ephemeral_mb = var.restore_ephemeral_storage_mb, reserved = var.run_restore_reserved_concurrency }
    "tick-schedules" = { memory = 512, timeout = 60, snap_start = true, ephemeral_mb = 512, reserved = -1 }
    "sweep-expired"  = { memory = 1024, timeout = 900, snap_start = true, ephemeral_mb = 512, reserved = -1 }
  }

  # Every function: the API from its zip, and each worker from the workers' zip with its own export.
  functions = merge(
    {
      api = {
        zip          = "api"
        handler      = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
        memory       = 1024
        timeout      = 30
        snap_start   = true
        ephemeral_mb = 512
        reserved     = -1
        # the web console it serves signs users in at the authorizer's issuer, as a public client (PKCE)
        environment = tomap({
          LIFEBOAT_ACCESS_PROJECTS_CLAIM  = var.projects_claim
          LIFEBOAT_CONSOLE_OIDC_ISSUER    = var.jwt_issuer
          LIFEBOAT_CONSOLE_OIDC_CLIENT_ID = coalesce(var.console_client_id, var.jwt_audience[0])
          LIFEBOAT_CONSOLE_OIDC_SCOPES    = var.console_scopes
        })
      }
    },
    { for name, worker in local.workers : name => merge(worker, {
      zip         = "workers"
      handler     = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest"
      environment = tomap({ QUARKUS_FUNQY_EXPORT = name })
    }) },
  )

  function_names = { for name, _ in local.functions : name => "${var.name_prefix}-${name}" }

  # What every function reads from its environment (Quarkus maps LIFEBOAT_X_Y to lifeboat.x.y). The key goes by its
  # alias, which KMS accepts for GenerateDataKey and Decrypt, and which is known before the key exists.
  common_environment = {
    LIFEBOAT_TABLES_PREFIX            = "${var.name_prefix}-"
    LIFEBOAT_SECRETS_KMS_KEY_ID       = aws_kms_alias.lifeboat.name
    LIFEBOAT_WORKERS                  = "lambda"
    LIFEBOAT_LAMBDA_VALIDATE_LOCATION = "${local.function_names["validate-location"]}:${local.alias}"
    LIFEBOAT_LAMBDA_RUN_BACKUP        = "${local.function_names["run-backup"]}:${local.alias}"
    LIFEBOAT_LAMBDA_RUN_RESTORE       = "${local.function_names["run-restore"]}:${local.alias}"
    JAVA_TOOL_OPTIONS                 = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
    # Where the functions may connect besides public addresses (OutboundPolicy); empty allows no private range.
    LIFEBOAT_OUTBOUND_ALLOWED_PRIVATE_CIDRS = join(",", var.allowed_private_cidrs)
    # Where the ends of runs go as events (events.tf)
    LIFEBOAT_EVENTS_BUS_NAME = aws_cloudwatch_event_bus.lifeboat.name
  }
}

resource "aws_cloudwatch_log_group" "function" {
  for_each          = local.function_names
  name              = "/aws/lambda/${each.value}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "function" {
  for_each = local.functions

  function_name = local.function_names[each.key]
  role          = aws_iam_role.function[each.key].arn
  runtime       = "java17"
  handler       = each.value.handler
  s3_bucket     = aws_s3_object.zip[each.value.zip].bucket
  s3_key        = aws_s3_object.zip[each.value.zip].key
  memory_size   = each.value.memory
  timeout       = each.value.timeout
  publish       = true
  # -1: no reservation (the account's unreserved pool)
  reserved_concurrent_executions = each.value.reserved

  ephemeral_storage {
    size = each.value.ephemeral_mb
  }

  dynamic "snap_start" {
    for_each = each.value.snap_start ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  environment {
    variables = merge(local.common_environment, each.value.environment)
  }

  dynamic "vpc_config" {
    for_each = length(var.subnet_ids) > 0 ? [1] : []
    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  # The role must be allowed to log, and to manage network interfaces in a VPC, before the function starts.
  depends_on = [aws_cloudwatch_log_group.function, aws_iam_role_policy.function, aws_iam_role_policy_attachment.vpc]
}

resource "aws_lambda_alias" "function" {
  for_each = local.functions

  name             = local.alias
  function_name    = aws_lambda_function.function[each.key].function_name
  function_version = aws_lambda_function.function[each.key].version
}

# Asynchronous invocations (run-backup and run-restore from the API, the EventBridge schedules) are retried twice;
# what still fails lands in the dead-letter queue. A retry is safe: each worker claims its record conditionally.
resource "aws_sqs_queue" "failed" {
  name                      = "${var.name_prefix}-failed-invocations"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_lambda_function_event_invoke_config" "worker" {
  for_each = local.workers

  function_name                = aws_lambda_function.function[each.key].function_name
  qualifier                    = aws_lambda_alias.function[each.key].name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 3600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.failed.arn
    }
  }

  # Lambda checks that the role may send to the queue.
  depends_on = [aws_iam_role_policy.function]
}
