# One role per function, each with only what that function does.
locals {
  partition = data.aws_partition.current.partition

  bucket_arns = length(var.backup_bucket_names) == 0 ? ["arn:${local.partition}:s3:::*"] : [
    for bucket in var.backup_bucket_names : "arn:${local.partition}:s3:::${bucket}"
  ]
  object_arns = [for bucket in local.bucket_arns : "${bucket}/*"]

  # tables: what the function reads and writes; kms: what it does with secrets (every read of a location or a
  # cluster opens its secret; only the API seals new ones); s3: on the buckets of AWS locations; assume_role: for
  # STS locations; invokes: the workers it starts; snapshots: the EC2 snapshot actions of Palette's backup policy.
  access = {
    api = {
      tables      = tolist(local.tables)
      kms         = ["kms:Decrypt", "kms:GenerateDataKey"]
      s3          = ["s3:GetObject", "s3:ListBucket", "s3:DeleteObject"]
      assume_role = true
      invokes     = ["validate-location", "run-backup", "run-restore"]
      snapshots   = false
    }
    validate-location = {
      tables      = ["locations"]
      kms         = ["kms:Decrypt"]
      s3          = ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:DeleteObject"]
      assume_role = true
      invokes     = []
      snapshots   = false
    }
    run-backup = {
      tables      = ["backups", "clusters", "locations"]
      kms         = ["kms:Decrypt"]
      s3          = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
      assume_role = true
      invokes     = []
      snapshots   = true
    }
    run-restore = {
      tables      = ["restores", "backups", "clusters", "locations"]
      kms         = ["kms:Decrypt"]
      s3          = ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]
      assume_role = true
      invokes     = []
      snapshots   = false
    }
    tick-schedules = {
      tables      = ["schedules", "clusters", "locations", "backups", "workspaces", "workspace-runs"]
      kms         = ["kms:Decrypt"]
      s3          = []
      assume_role = false
      invokes     = ["run-backup"]
      snapshots   = false
    }
    sweep-expired = {
      tables      = ["backups", "restores", "clusters", "locations"]
      kms         = ["kms:Decrypt"]
      s3          = ["s3:ListBucket", "s3:DeleteObject"]
      assume_role = true
      invokes     = []
      snapshots   = false
    }
  }
}

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each           = local.access
  name               = "${local.function_names[each.key]}-function"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

data "aws_iam_policy_document" "function" {
  for_each = local.access

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function[each.key].arn}:*"]
  }

  statement {
    sid     = "Metadata"
    actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:Scan"]
    resources = flatten([for table in each.value.tables : [
      aws_dynamodb_table.table[table].arn,
      "${aws_dynamodb_table.table[table].arn}/index/*",
    ]])
  }

  statement {
    sid       = "Secrets"
    actions   = each.value.kms
    resources = [aws_kms_key.lifeboat.arn]
  }

  dynamic "statement" {
    for_each = length(each.value.s3) > 0 ? [1] : []
    content {
      sid       = "BackupBuckets"
      actions   = each.value.s3
      resources = concat(local.bucket_arns, local.object_arns)
    }
  }

  dynamic "statement" {
    for_each = each.value.assume_role ? [1] : []
    content {
      sid       = "StsLocations"
      actions   = ["sts:AssumeRole"]
      resources = var.location_role_arns
    }
  }

  dynamic "statement" {
    for_each = length(each.value.invokes) > 0 ? [1] : []
    content {
      sid       = "StartWorkers"
      actions   = ["lambda:InvokeFunction"]
      resources = [for worker in each.value.invokes : aws_lambda_alias.worker[worker].arn]
    }
  }

  dynamic "statement" {
    for_each = contains(keys(local.workers), each.key) ? [1] : []
    content {
      sid       = "DeadLetters"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.failed.arn]
    }
  }

  dynamic "statement" {
    for_each = each.value.snapshots ? [1] : []
    content {
      sid       = "DescribeVolumesAndSnapshots"
      actions   = ["ec2:DescribeVolumes", "ec2:DescribeSnapshots"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = each.value.snapshots ? [1] : []
    content {
      sid     = "Snapshots"
      actions = ["ec2:CreateSnapshot", "ec2:DeleteSnapshot", "ec2:CreateVolume"]
      resources = [
        "arn:${local.partition}:ec2:${var.region}::snapshot/*",
        "arn:${local.partition}:ec2:${var.region}:*:volume/*",
      ]
    }
  }

  dynamic "statement" {
    for_each = each.value.snapshots ? [1] : []
    content {
      sid     = "TagWhatItCreates"
      actions = ["ec2:CreateTags"]
      resources = [
        "arn:${local.partition}:ec2:${var.region}::snapshot/*",
        "arn:${local.partition}:ec2:${var.region}:*:volume/*",
      ]
      condition {
        test     = "StringEquals"
        variable = "ec2:CreateAction"
        values   = ["CreateSnapshot", "CreateVolume"]
      }
    }
  }
}

resource "aws_iam_role_policy" "function" {
  for_each = local.access
  name     = "lifeboat"
  role     = aws_iam_role.function[each.key].id
  policy   = data.aws_iam_policy_document.function[each.key].json
}

# Private cluster endpoints: functions in a VPC need to manage their network interfaces.
resource "aws_iam_role_policy_attachment" "vpc" {
  for_each   = length(var.subnet_ids) > 0 ? local.access : {}
  role       = aws_iam_role.function[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}
