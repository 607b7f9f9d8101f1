# The tables of infra/dynamodb's Tables class (Tables.definitions() is the fact; a test checks this file against it).
# Every project's table: partition key "project", sort key "name", on demand, point-in-time recovery, encrypted
# with the key. The bucket-claims table, shared by every project, is keyed by "store" alone.
locals {
  tables = toset(["locations", "clusters", "backups", "restores", "schedules", "workspaces", "workspace-runs", "notifications"])

  table_indexes = {
    # sweep-expired queries by-expiry-time: every backup carries expiry = "all", sorted by expiresAtMillis, a number
    # (epoch milliseconds: ISO strings do not sort by time).
    backups = { name = "by-expiry-time", hash = "expiry", range = "expiresAtMillis", range_type = "N" }
    # tick-schedules queries due-by-next-run: only active schedules carry due = "due" (a sparse index).
    schedules = { name = "due-by-next-run", hash = "due", range = "nextRunAt", range_type = "S" }
  }
}

resource "aws_dynamodb_table" "table" {
  for_each = local.tables

  name         = "${var.name_prefix}-${each.key}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "project"
  range_key    = "name"

  attribute {
    name = "project"
    type = "S"
  }

  attribute {
    name = "name"
    type = "S"
  }

  dynamic "attribute" {
    for_each = contains(keys(local.table_indexes), each.key) ? [
      { name = local.table_indexes[each.key].hash, type = "S" },
      { name = local.table_indexes[each.key].range, type = local.table_indexes[each.key].range_type },
    ] : []
    content {
      name = attribute.value.name
      type = attribute.value.type
    }
  }

  dynamic "global_secondary_index" {
    for_each = contains(keys(local.table_indexes), each.key) ? [local.table_indexes[each.key]] : []
    content {
      name            = global_secondary_index.value.name
      hash_key        = global_secondary_index.value.hash
      range_key       = global_secondary_index.value.range
      projection_type = "ALL"
    }
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.lifeboat.arn
  }

  deletion_protection_enabled = true
}

# Which location holds which prefixes of each bucket, across projects: one item per store (provider kind, endpoint,
# bucket), written with a version condition in the same transaction as the location it changes.
resource "aws_dynamodb_table" "bucket_claims" {
  name         = "${var.name_prefix}-bucket-claims"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "store"

  attribute {
    name = "store"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.lifeboat.arn
  }

  deletion_protection_enabled = true
}
