# The HTTP API: one route per path of the REST API (a test checks them against the JAX-RS resources), each behind
# the JWT authorizer. The API function then maps the caller's claims to the projects it may use.
locals {
  routes = toset([
    "POST /v1/projects/{project}/notifications",
    "GET /v1/projects/{project}/notifications",
    "GET /v1/projects/{project}/notifications/{name}",
    "DELETE /v1/projects/{project}/notifications/{name}",
    "POST /v1/projects/{project}/locations",
    "GET /v1/projects/{project}/locations",
    "GET /v1/projects/{project}/locations/{name}",
    "POST /v1/projects/{project}/locations/{name}/validate",
    "POST /v1/projects/{project}/locations/{name}/sync",
    "DELETE /v1/projects/{project}/locations/{name}",
    "POST /v1/projects/{project}/clusters",
    "GET /v1/projects/{project}/clusters",
    "GET /v1/projects/{project}/clusters/{name}",
    "POST /v1/projects/{project}/clusters/{name}/check",
    "DELETE /v1/projects/{project}/clusters/{name}",
    "GET /v1/projects/{project}/clusters/{name}/storageclasses",
    "POST /v1/projects/{project}/backups",
    "GET /v1/projects/{project}/backups",
    "GET /v1/projects/{project}/backups/{name}",
    "DELETE /v1/projects/{project}/backups/{name}",
    "GET /v1/projects/{project}/backups/{name}/logs",
    "GET /v1/projects/{project}/backups/{name}/resources",
    "GET /v1/projects/{project}/backups/{name}/results",
    "GET /v1/projects/{project}/backups/{name}/archive",
    "POST /v1/projects/{project}/backups/{name}/verify",
    "GET /v1/projects/{project}/backups/{name}/diff/{other}",
    "POST /v1/projects/{project}/restores",
    "GET /v1/projects/{project}/restores",
    "GET /v1/projects/{project}/restores/{name}",
    "GET /v1/projects/{project}/restores/{name}/logs",
    "GET /v1/projects/{project}/restores/{name}/results",
    "GET /v1/projects/{project}/restores/{name}/plan",
    "POST /v1/projects/{project}/schedules",
    "POST /v1/projects/{project}/schedules/preview",
    "GET /v1/projects/{project}/schedules",
    "GET /v1/projects/{project}/schedules/{name}",
    "POST /v1/projects/{project}/schedules/{name}/pause",
    "POST /v1/projects/{project}/schedules/{name}/resume",
    "DELETE /v1/projects/{project}/schedules/{name}",
    "POST /v1/projects/{project}/workspaces",
    "GET /v1/projects/{project}/workspaces",
    "GET /v1/projects/{project}/workspaces/{name}",
    "DELETE /v1/projects/{project}/workspaces/{name}",
    "POST /v1/projects/{project}/workspaces/{name}/clusters",
    "DELETE /v1/projects/{project}/workspaces/{name}/clusters/{cluster}",
    "POST /v1/projects/{project}/workspaces/{name}/backups",
    "GET /v1/projects/{project}/workspaces/{name}/backups",
    "GET /v1/projects/{project}/workspaces/{name}/backups/{backup}",
    "POST /v1/projects/{project}/workspaces/{name}/restores",
    "GET /v1/projects/{project}/workspaces/{name}/restores",
    "GET /v1/projects/{project}/workspaces/{name}/restores/{restore}",
  ])
}

# The web console's files and settings, served by the same function: no token is needed to load the page (it holds
# no data; it signs the user in, then calls the routes above with the access token). Only GETs, and none under /v1.
locals {
  console_routes = toset([
    "GET /",
    "GET /assets/{proxy+}",
    "GET /console-config.json",
  ])
}

resource "aws_apigatewayv2_api" "api" {
  name          = "${var.name_prefix}-api"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.api.id
  name             = "jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt_issuer
    audience = var.jwt_audience
  }
}

resource "aws_apigatewayv2_integration" "api" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_alias.function["api"].invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 29000
}

resource "aws_apigatewayv2_route" "api" {
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.api.id
  route_key          = each.value
  target             = "integrations/${aws_apigatewayv2_integration.api.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
}

resource "aws_apigatewayv2_route" "console" {
  for_each = local.console_routes

  api_id             = aws_apigatewayv2_api.api.id
  route_key          = each.value
  target             = "integrations/${aws_apigatewayv2_integration.api.id}"
  authorization_type = "NONE"
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/aws/apigateway/${var.name_prefix}-api"
  retention_in_days = var.log_retention_days
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.api.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 50
    throttling_rate_limit  = 20
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      caller    = "$context.authorizer.claims.sub"
      route     = "$context.routeKey"
      status    = "$context.status"
      latencyMs = "$context.responseLatency"
      error     = "$context.authorizer.error"
    })
  }
}

resource "aws_lambda_permission" "api" {
  statement_id  = "ApiGatewayInvokes"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.function["api"].function_name
  qualifier     = aws_lambda_alias.function["api"].name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*/*"
}
