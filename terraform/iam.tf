# One role per function, each with only what that function does, and the role AWS backup locations can assume.
locals {
  partition = data.aws_partition.current.partition

  # tables: what the function reads and writes. kms: what it does with secrets, beyond reading the tables (which
  # every role may do through DynamoDB only); only the API seals new secrets, and tick-schedules opens none.
  # assume_role: it opens locations, so it may assume the roles STS locations name. invokes: the workers it starts.
  access = {
    api = {
      tables      = concat(tolist(local.tables), ["bucket-claims"])
      kms         = ["kms:Decrypt", "kms:GenerateDataKey"]
      assume_role = true
      invokes     = ["validate-location", "run-backup", "run-restore"]
    }
    validate-location = {
      # backups: after validating a location, it imports the backups Velero wrote there; notifications: the
      # webhooks told when one turns Unavailable
      tables      = ["locations", "backups", "notifications"]
      kms         = ["kms:Decrypt"]
      assume_role = true
      invokes     = []
    }
    run-backup = {
      # workspace-runs: the end of the last child backup ends its workspace backup (an event)
      tables      = ["backups", "clusters", "locations", "notifications", "workspace-runs"]
      kms         = ["kms:Decrypt"]
      assume_role = true
      invokes     = []
    }
    run-restore = {
      tables      = ["restores", "backups", "clusters", "locations", "notifications", "workspace-runs"]
      kms         = ["kms:Decrypt"]
      assume_role = true
      invokes     = []
    }
    tick-schedules = {
      tables      = ["schedules", "clusters", "locations", "backups", "workspaces", "workspace-runs"]
      kms         = []
      assume_role = false
      invokes     = ["run-backup"]
    }
    sweep-expired = {
      # schedules: their retention by count (keep) decides which expired backups stay
      tables      = ["backups", "restores", "clusters", "locations", "schedules"]
      kms         = ["kms:Decrypt"]
      assume_role = true
      invokes     = []
    }
  }

  # Every table by its short name; only the API, which creates and deletes locations, uses bucket-claims.
  table_arns = merge({ for name, table in aws_dynamodb_table.table : name => table.arn },
  { "bucket-claims" = aws_dynamodb_table.bucket_claims.arn })

  # The roles STS locations may name: the backup-location role below (when created), and any the operator lists.
  location_role_arns = concat(var.location_role_arns, aws_iam_role.backup_location[*].arn)

  # Who uses the data keys of encrypted backups: the API (a location's probe, a backup's files and archive, diffs),
  # the validation's probe, the backup that writes them, the restore and the verification that read them.
  backup_key_users = ["api", "validate-location", "run-backup", "run-restore"]
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

# What a function needs from the start: created before the function, so that its first logs are kept.
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
      local.table_arns[table],
      "${local.table_arns[table]}/index/*",
    ]])
  }

  # The tables are encrypted with the project's key; DynamoDB opens their table keys with the caller's rights.
  statement {
    sid       = "TablesAtRest"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.lifeboat.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${var.region}.amazonaws.com"]
    }
  }

  dynamic "statement" {
    for_each = length(each.value.kms) > 0 ? [1] : []
    content {
      sid       = "Secrets"
      actions   = each.value.kms
      resources = [aws_kms_key.lifeboat.arn]
    }
  }

  # Encrypted locations ({"encryption": {"kmsKeyId"}}): the functions that write or read a backup's objects make and
  # open its data key with the location's KMS key, always with the backup in the encryption context.
  dynamic "statement" {
    for_each = length(var.backup_kms_key_arns) > 0 && contains(local.backup_key_users, each.key) ? [1] : []
    content {
      sid       = "BackupDataKeys"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = var.backup_kms_key_arns
      condition {
        test     = "StringLike"
        variable = "kms:EncryptionContext:lifeboat:backup"
        values   = ["*/*"]
      }
    }
  }

  dynamic "statement" {
    for_each = each.value.assume_role && length(local.location_role_arns) > 0 ? [1] : []
    content {
      sid       = "StsLocations"
      actions   = ["sts:AssumeRole"]
      resources = local.location_role_arns
    }
  }

  dynamic "statement" {
    for_each = contains(local.event_emitters, each.key) ? [1] : []
    content {
      sid       = "Events"
      actions   = ["events:PutEvents"]
      resources = [aws_cloudwatch_event_bus.lifeboat.arn]
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
}

resource "aws_iam_role_policy" "function" {
  for_each = local.access
  name     = "lifeboat"
  role     = aws_iam_role.function[each.key].id
  policy   = data.aws_iam_policy_document.function[each.key].json
}

# Starting other workers names their aliases, which exist only once the functions do: a policy of its own.
data "aws_iam_policy_document" "start_workers" {
  for_each = { for name, access in local.access : name => access if length(access.invokes) > 0 }

  statement {
    sid       = "StartWorkers"
    actions   = ["lambda:InvokeFunction"]
    resources = [for worker in each.value.invokes : aws_lambda_alias.function[worker].arn]
  }
}

resource "aws_iam_role_policy" "start_workers" {
  for_each = data.aws_iam_policy_document.start_workers
  name     = "lifeboat-start-workers"
  role     = aws_iam_role.function[each.key].id
  policy   = each.value.json
}

# Private cluster endpoints: functions in a VPC need to manage their network interfaces.
resource "aws_iam_role_policy_attachment" "vpc" {
  for_each   = length(var.subnet_ids) > 0 ? local.access : {}
  role       = aws_iam_role.function[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

# The backup-location role: what an AWS location with {"sts": {"roleArn", "externalId"}} names. It carries the
# S3 and EC2 snapshot actions of Palette's documented backup policy; only the functions that open locations may
# assume it, and only with the external ID. Created when backup_location_external_id is set. Every project shares
# it: each session Lifeboat opens carries a session policy (S3Clients, SessionPolicy) that limits it to the
# location's own bucket and prefix, and no two locations may hold the same or nested prefixes of one bucket.
locals {
  bucket_arns = length(var.backup_bucket_names) == 0 ? ["arn:${local.partition}:s3:::*"] : [
    for bucket in var.backup_bucket_names : "arn:${local.partition}:s3:::${bucket}"
  ]
  location_openers      = [for name, access in local.access : name if access.assume_role]
  immutable_bucket_arns = [for bucket in var.immutable_bucket_names : "arn:${local.partition}:s3:::${bucket}"]
}

data "aws_iam_policy_document" "backup_location_trust" {
  count = var.backup_location_external_id == null ? 0 : 1

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [for name in local.location_openers : aws_iam_role.function[name].arn]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.backup_location_external_id]
    }
  }
}

resource "aws_iam_role" "backup_location" {
  count              = var.backup_location_external_id == null ? 0 : 1
  name               = "${var.name_prefix}-backup-location"
  assume_role_policy = data.aws_iam_policy_document.backup_location_trust[0].json
}

data "aws_iam_policy_document" "backup_location" {
  count = var.backup_location_external_id == null ? 0 : 1

  # GetBucketLocation: how a location's session checks its bucket (its session policy allows no HeadBucket).
  statement {
    sid       = "ListBuckets"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = local.bucket_arns
  }

  statement {
    sid       = "Objects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = [for bucket in local.bucket_arns : "${bucket}/*"]
  }

  # Immutable locations ({"immutability": …}), on the buckets listed in immutable_bucket_names only (deleting object
  # versions is for good, so no wildcard): the validation reads the bucket's Object Lock configuration, each object is
  # written with its retention, and once released its versions are listed and deleted. No bypass of governance
  # retention: Lifeboat waits for a lock to end, it never lifts one.
  dynamic "statement" {
    for_each = length(local.immutable_bucket_arns) > 0 ? [1] : []
    content {
      sid       = "ObjectLockBuckets"
      actions   = ["s3:GetBucketObjectLockConfiguration", "s3:ListBucketVersions"]
      resources = local.immutable_bucket_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.immutable_bucket_arns) > 0 ? [1] : []
    content {
      sid       = "ObjectLockObjects"
      actions   = ["s3:PutObjectRetention", "s3:GetObjectRetention", "s3:DeleteObjectVersion"]
      resources = [for bucket in local.immutable_bucket_arns : "${bucket}/*"]
    }
  }

  statement {
    # DescribeInstances: whether a restore's target nodes are instances of this account (disks are made only there)
    sid       = "DescribeVolumesAndSnapshots"
    actions   = ["ec2:DescribeVolumes", "ec2:DescribeSnapshots", "ec2:DescribeInstances"]
    resources = ["*"]
  }

  statement {
    sid     = "Snapshots"
    actions = ["ec2:CreateSnapshot", "ec2:DeleteSnapshot", "ec2:CreateVolume"]
    resources = [
      "arn:${local.partition}:ec2:${var.region}::snapshot/*",
      "arn:${local.partition}:ec2:${var.region}:*:volume/*",
    ]
  }

  statement {
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

resource "aws_iam_role_policy" "backup_location" {
  count  = var.backup_location_external_id == null ? 0 : 1
  name   = "palette-backup-policy"
  role   = aws_iam_role.backup_location[0].id
  policy = data.aws_iam_policy_document.backup_location[0].json
}
