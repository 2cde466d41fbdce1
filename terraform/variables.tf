variable "project_id" {
  description = "Google Cloud project id to deploy into (e.g. my-project-123)."
  type        = string
}

variable "region" {
  description = "Region for the functions, Cloud Scheduler jobs and the source bucket."
  type        = string
  default     = "europe-west1"
}

variable "name_prefix" {
  description = "Prefix for function, service account, bucket and scheduler job names (lowercase, max 12 characters)."
  type        = string
  default     = "bridge"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,11}$", var.name_prefix))
    error_message = "name_prefix must be 1-12 characters of lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "topic_prefix" {
  description = "Prefix put in front of every Pub/Sub topic name (BRIDGE_TOPIC_PREFIX); empty keeps the plain names (github-events, ...)."
  type        = string
  default     = ""
}

variable "enable_apis" {
  description = "Enable the Google APIs the bridge needs (set false when a platform team manages project services)."
  type        = bool
  default     = true
}

variable "runtime" {
  description = "Cloud Run functions runtime id. The code runs TypeScript from source through Node's type stripping, so it needs Node 24 or later."
  type        = string
  default     = "nodejs24"
}

variable "source_dir" {
  description = "Directory holding the staged function source (terraform/scripts/package-source.sh writes it); empty means terraform/.build/source."
  type        = string
  default     = ""
}

variable "public_url" {
  description = "Base address of one domain or load balancer in front of every function that routes /drive/notifications, /github/webhook and the API to them; empty means each address is its own function's Cloud Run URL (BRIDGE_API_URL, BRIDGE_DRIVE_NOTIFICATIONS_URL, BRIDGE_GITHUB_WEBHOOK_URL)."
  type        = string
  default     = ""
}

variable "github_api_url" {
  description = "GitHub API base (GitHub Enterprise Server: https://HOST/api/v3)."
  type        = string
  default     = "https://api.github.com"
}

variable "github_app_id" {
  description = "Numeric GitHub App id; empty uses the github-token secret instead. When set, add a version to the github-app-private-key secret before applying (it is mounted as GITHUB_APP_PRIVATE_KEY)."
  type        = string
  default     = ""

  validation {
    condition     = var.github_app_id == "" || can(regex("^[0-9]+$", var.github_app_id))
    error_message = "github_app_id must be empty or the numeric GitHub App id."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of every function: debug, info, warn or error."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["debug", "info", "warn", "error"], var.log_level)
    error_message = "log_level must be debug, info, warn or error."
  }
}

variable "firestore_location" {
  description = "Firestore location (a region such as europe-west1, or a multi-region such as eur3 or nam5); empty means var.region."
  type        = string
  default     = ""
}

variable "firestore_database" {
  description = "Firestore database id (FIRESTORE_DATABASE)."
  type        = string
  default     = "(default)"
}

variable "deletion_protection" {
  description = "Protect the Firestore database from `terraform destroy` and deletion in the console."
  type        = bool
  default     = true
}

variable "max_instances" {
  description = "Upper bound on instances per function."
  type        = number
  default     = 10
}

variable "request_concurrency" {
  description = "Concurrent requests per function instance (values above 1 need a whole CPU, which the functions get)."
  type        = number
  default     = 20
}

variable "memory" {
  description = "Memory per function instance."
  type        = string
  default     = "512Mi"
}

variable "scheduler_time_zone" {
  description = "Time zone of the Cloud Scheduler cron expressions."
  type        = string
  default     = "Etc/UTC"
}

variable "reconcile_schedule" {
  description = "Cron for the reconcile job (re-syncs every link to catch missed events)."
  type        = string
  default     = "*/15 * * * *"
}

variable "channel_renewal_schedule" {
  description = "Cron for Drive watch channel renewal (file channels last at most a day)."
  type        = string
  default     = "0 * * * *"
}

variable "delivery_recovery_schedule" {
  description = "Cron for GitHub failed-delivery recovery."
  type        = string
  default     = "30 * * * *"
}

variable "drive_changes_schedule" {
  description = "Cron for walking the Drive changes feed (catches Drive edits whose notification never arrived)."
  type        = string
  default     = "*/5 * * * *"
}

variable "health_schedule" {
  description = "Cron for the integration health job (GitHub and Drive auth, rate limit, webhook, channel per link)."
  type        = string
  default     = "*/5 * * * *"
}

variable "rotated_secrets" {
  description = "Secrets Secret Manager asks the scheduler function to rotate (SECRET_ROTATE on the secret-rotation topic); the scheduler rotates github-webhook-secret, bridge-data-key and drive-channel-tokens; for openai-api-key, anthropic-api-key and gemini-api-key (keys only the provider can make) it checks the newest version and disables the older ones, and a scheduled rotation with no new version is a logged reminder."
  type        = list(string)
  default     = ["github-webhook-secret", "bridge-data-key", "drive-channel-tokens"]

  validation {
    condition = alltrue([
      for name in var.rotated_secrets :
      contains(["github-webhook-secret", "bridge-admin-token", "github-token", "github-app-private-key", "bridge-data-key", "drive-channel-tokens", "openai-api-key", "anthropic-api-key", "gemini-api-key"], name)
    ])
    error_message = "rotated_secrets may only name the bridge's secrets (see secrets.tf)."
  }
}

variable "rotation_period_days" {
  description = "Days between rotations of the secrets in rotated_secrets."
  type        = number
  default     = 30

  validation {
    condition     = var.rotation_period_days >= 1 && var.rotation_period_days <= 365
    error_message = "rotation_period_days must be between 1 and 365."
  }
}

variable "labels" {
  description = "Labels put on every resource that takes them."
  type        = map(string)
  default     = { app = "integration-bridge" }
}

variable "github_oauth_client_id" {
  description = "Client id of a GitHub OAuth App for the user connect flow (/api/integrations/github/connect); empty disables it. Its secret goes in the github-oauth-client-secret secret."
  type        = string
  default     = ""
}

variable "alert_emails" {
  description = "E-mail addresses that receive the bridge's alerts (each becomes a notification channel)."
  type        = list(string)
  default     = []
}

variable "alert_slack_channel" {
  description = "Slack channel (e.g. #bridge-alerts) for alerts through Cloud Monitoring's Slack app; empty for none. Needs alert_slack_token."
  type        = string
  default     = ""
}

variable "alert_slack_token" {
  description = "OAuth token of Cloud Monitoring's Slack app installation for alert_slack_channel."
  type        = string
  default     = ""
  sensitive   = true
}

variable "alert_sync_failures" {
  description = "Alert when more syncs than this give up within 10 minutes."
  type        = number
  default     = 3
}

variable "alert_dead_letter_minutes" {
  description = "Alert when a dead letter has waited this many minutes."
  type        = number
  default     = 15

  validation {
    condition     = var.alert_dead_letter_minutes >= 1 && var.alert_dead_letter_minutes <= 1440
    error_message = "alert_dead_letter_minutes must be between 1 and 1440."
  }
}

variable "alert_rate_limit_headroom" {
  description = "Alert when less than this share (0-1) of a provider's rate limit is left for 5 minutes."
  type        = number
  default     = 0.1

  validation {
    condition     = var.alert_rate_limit_headroom > 0 && var.alert_rate_limit_headroom < 1
    error_message = "alert_rate_limit_headroom must be between 0 and 1."
  }
}

variable "alert_webhook_5xx" {
  description = "Alert when the webhook functions answer more 5xx than this within 5 minutes."
  type        = number
  default     = 5
}

variable "log_retention_days" {
  description = "Days the _Default log bucket keeps logs (the specification asks for 90)."
  type        = number
  default     = 90

  validation {
    condition     = var.log_retention_days >= 1 && var.log_retention_days <= 3650
    error_message = "log_retention_days must be between 1 and 3650."
  }
}
