# One customer-managed key wraps the data keys that encrypt secrets (kubeconfigs, location credentials) and encrypts
# the tables at rest. Its key policy is the AWS default: the account's IAM policies decide who may use it.
resource "aws_kms_key" "lifeboat" {
  description         = "Lifeboat: envelope encryption of secrets, and the tables at rest"
  enable_key_rotation = true
}

resource "aws_kms_alias" "lifeboat" {
  name          = "alias/${var.name_prefix}"
  target_key_id = aws_kms_key.lifeboat.key_id
}
