locals {
  # SECRETS in shared/ports/secret-store.ts, plus drive-channel-tokens (DRIVE_CHANNEL_TOKENS_SECRET in
  # shared/scheduler/secret-rotation.ts). Terraform creates the secrets, never their values:
  # versions are added with gcloud (docs/deploy.md) or by the scheduler's rotation, so no secret
  # reaches the Terraform state and a rotation never shows up as drift.
  secrets = {
    "github-webhook-secret"      = "GitHub webhook secret(s): enabled versions are all accepted, newest first."
    "bridge-admin-token"         = "Bootstrap admin bearer token for /api/v1."
    "github-token"               = "GitHub token (PAT or installation token) when no GitHub App is configured."
    "github-app-private-key"     = "GitHub App private key (PEM)."
    "bridge-data-key"            = "Data encryption key (32 random bytes, base64)."
    "drive-channel-tokens"       = "No value: its rotation makes the scheduler renew every Drive channel with a new token."
    "openai-api-key"             = "OpenAI API key for the AI layer (read at use time; OPENAI_API_KEY overrides)."
    "anthropic-api-key"          = "Anthropic API key for the AI layer (read at use time; ANTHROPIC_API_KEY overrides)."
    "gemini-api-key"             = "Gemini API key for the AI layer (read at use time; GEMINI_API_KEY overrides)."
    "github-oauth-client-secret" = "Client secret of the GitHub OAuth App behind /api/integrations/github/connect (OAUTH_CLIENT_SECRET_NAME in shared/oauth)."
  }
  rotation_seconds = var.rotation_period_days * 86400
}

resource "google_secret_manager_secret" "secret" {
  for_each = local.secrets

  project   = var.project_id
  secret_id = each.key
  labels    = var.labels
  annotations = {
    purpose = each.value
  }

  replication {
    auto {}
  }

  # Secret Manager publishes SECRET_ROTATE (and version events) here; the scheduler handles them.
  topics {
    name = google_pubsub_topic.topic["secret-rotation"].id
  }

  dynamic "rotation" {
    for_each = contains(var.rotated_secrets, each.key) ? [1] : []
    content {
      rotation_period    = "${local.rotation_seconds}s"
      next_rotation_time = timeadd(plantimestamp(), "${local.rotation_seconds}s")
    }
  }

  lifecycle {
    # Secret Manager moves next_rotation_time forward itself after each rotation.
    ignore_changes = [rotation[0].next_rotation_time]
  }

  # Creating a secret with a topic fails unless the Secret Manager agent may already publish to it.
  depends_on = [google_pubsub_topic_iam_member.secret_manager_publisher]
}
