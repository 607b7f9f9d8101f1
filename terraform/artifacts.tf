# The bucket the Lambda zips are uploaded to (each is over the 50 MB limit of a direct upload).
resource "aws_s3_bucket" "artifacts" {
  bucket_prefix = "${var.name_prefix}-artifacts-"
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_object" "zip" {
  for_each = {
    api     = var.api_zip
    workers = var.workers_zip
  }

  bucket      = aws_s3_bucket.artifacts.id
  key         = "${each.key}/${filemd5(each.value)}.zip"
  source      = each.value
  source_hash = filemd5(each.value)
}
