variable "region" {
  description = "AWS region to deploy Lifeboat into."
  type        = string
  default     = "us-east-1"
}

variable "name_prefix" {
  description = "Prefix of every resource name: functions, tables (<prefix>-locations, ...), roles, the API."
  type        = string
  default     = "lifeboat"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,25}$", var.name_prefix))
    error_message = "name_prefix: 2 to 26 lower-case letters, digits or '-', starting with a letter (the artifacts bucket's name prefix allows no more)."
  }
}

variable "api_zip" {
  description = "The API's Lambda zip (built by ./mvnw package into functions/aws-api/target/function.zip)."
  type        = string
  default     = "../functions/aws-api/target/function.zip"
}

variable "workers_zip" {
  description = "The worker functions' Lambda zip (functions/aws-workers/target/function.zip)."
  type        = string
  default     = "../functions/aws-workers/target/function.zip"
}

variable "jwt_issuer" {
  description = "Issuer of the JWTs the API accepts, e.g. https://cognito-idp.<region>.amazonaws.com/<pool id>."
  type        = string

  validation {
    condition     = startswith(var.jwt_issuer, "https://")
    error_message = "jwt_issuer must be an https:// URL."
  }
}

variable "jwt_audience" {
  description = "Accepted audiences (the aud claim; for Cognito access tokens, the app client IDs)."
  type        = list(string)

  validation {
    condition     = length(var.jwt_audience) > 0
    error_message = "jwt_audience needs at least one audience."
  }
}

variable "console_client_id" {
  description = "The OIDC client the web console signs users in with (authorization code with PKCE, no secret); its allowed callback URL must be the API's URL with a trailing /. Defaults to the first jwt_audience."
  type        = string
  default     = null
}

variable "console_scopes" {
  description = "The scopes the web console asks for when it signs a user in."
  type        = string
  default     = "openid"
}

variable "projects_claim" {
  description = "The JWT claim that lists the projects a caller may use (for Cognito groups named after projects: cognito:groups)."
  type        = string
  default     = "lifeboat:projects"
}

variable "backup_location_external_id" {
  description = "Set it to create the backup-location role (output backup_location_role_arn), which AWS locations name as {\"sts\": {\"roleArn\", \"externalId\"}} with this external ID."
  type        = string
  default     = null

  validation {
    condition     = var.backup_location_external_id == null ? true : can(regex("^[\\w+=,.@:/-]{2,1000}$", var.backup_location_external_id))
    error_message = "backup_location_external_id: 2 to 1000 characters of letters, digits and +=,.@:/-."
  }
}

variable "backup_bucket_names" {
  description = "Buckets the backup-location role may use. Empty means any bucket."
  type        = list(string)
  default     = []
}

variable "location_role_arns" {
  description = "Further roles that STS backup locations may name (for example in other accounts), besides the backup-location role."
  type        = list(string)
  default     = []
}

variable "immutable_bucket_names" {
  description = "The Object Lock buckets of immutable AWS locations that assume the backup-location role: only on these may it write object retention, read it, and delete object versions (for good). Empty: no immutable STS location."
  type        = list(string)
  default     = []
}

variable "backup_kms_key_arns" {
  description = "The KMS keys that encrypted backup locations name (encryption.kmsKeyId, as key ARNs): the functions may make and open backups' data keys with them. Empty: no IAM grant (a key's own policy may still grant Lifeboat's roles)."
  type        = list(string)
  default     = []
}

variable "subnet_ids" {
  description = "Private subnets for the functions, so they reach private cluster API endpoints. Empty: no VPC."
  type        = list(string)
  default     = []
}

variable "allowed_private_cidrs" {
  description = "Private ranges (RFC 1918, 100.64.0.0/10, fc00::/7) the functions may connect to, e.g. clusters with private API endpoints or stores in the VPC. Empty: none. Metadata and link-local addresses stay refused."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.allowed_private_cidrs : can(cidrhost(cidr, 0))])
    error_message = "allowed_private_cidrs takes CIDR ranges such as 10.0.0.0/8."
  }
}

variable "security_group_ids" {
  description = "Security groups for the functions when subnet_ids is set."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "How long function and API logs are kept."
  type        = number
  default     = 30
}

variable "restore_ephemeral_storage_mb" {
  description = "Disk for run-restore, which spools the archive to /tmp before applying it (512 to 10240)."
  type        = number
  default     = 4096

  validation {
    condition     = var.restore_ephemeral_storage_mb >= 512 && var.restore_ephemeral_storage_mb <= 10240
    error_message = "restore_ephemeral_storage_mb: between 512 and 10240 (Lambda's limits)."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "run_backup_reserved_concurrency" {
  description = "Concurrent run-backup instances reserved for Lifeboat (-1: none, the account's unreserved pool). A slot's backups beyond it wait in Lambda's asynchronous queue and start as instances free up. The account keeps at least 100 unreserved, so lower this (or set -1) on an account with a small concurrency limit."
  type        = number
  default     = 100

  validation {
    condition     = var.run_backup_reserved_concurrency == -1 || var.run_backup_reserved_concurrency >= 1
    error_message = "run_backup_reserved_concurrency: -1 (no reservation) or at least 1 (0 would stop every backup)."
  }
}

variable "run_restore_reserved_concurrency" {
  description = "Concurrent run-restore instances reserved for Lifeboat (-1: none). Restores are rarer than backups, and each writes to a cluster."
  type        = number
  default     = 20

  validation {
    condition     = var.run_restore_reserved_concurrency == -1 || var.run_restore_reserved_concurrency >= 1
    error_message = "run_restore_reserved_concurrency: -1 (no reservation) or at least 1 (0 would stop every restore)."
  }
}
