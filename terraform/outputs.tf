output "github_webhook_url" {
  description = "Paste into GitHub: repository (or App) Settings -> Webhooks -> Payload URL, content type application/json (BRIDGE_GITHUB_WEBHOOK_URL)."
  value       = local.urls.github_webhook
}

output "drive_notifications_url" {
  description = "Address of the drive-notifications function (Drive channels are created by the bridge; nothing to paste)."
  value       = google_cloudfunctions2_function.function["drive-notifications"].service_config[0].uri
}

output "addresses" {
  description = "The addresses every function is told: the API and dashboard (BRIDGE_API_URL), where Drive delivers (BRIDGE_DRIVE_NOTIFICATIONS_URL), where GitHub delivers (BRIDGE_GITHUB_WEBHOOK_URL)."
  value       = local.urls
}

output "status_api_url" {
  description = "Status API and dashboard; use as the CLI's --url (API under /api/v1)."
  value       = google_cloudfunctions2_function.function["status-api"].service_config[0].uri
}

output "function_urls" {
  description = "Every function's Cloud Run URL."
  value       = { for name, fn in google_cloudfunctions2_function.function : name => fn.service_config[0].uri }
}

output "function_service_accounts" {
  description = "Runtime service account per function (share the Drive design files with the sync-worker, scheduler and status-api accounts)."
  value       = { for name, sa in google_service_account.function : name => sa.email }
}

output "topics" {
  description = "Pub/Sub topic names (with topic_prefix)."
  value       = { for name, topic in google_pubsub_topic.topic : name => topic.name }
}

output "secret_ids" {
  description = "Secret Manager secrets to give a first version (gcloud secrets versions add ...)."
  value       = [for secret in google_secret_manager_secret.secret : secret.secret_id]
}
