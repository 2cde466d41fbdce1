locals {
  # Which topics each function publishes to and which secrets it reads: shared/topology (topology.json).
  function_topic_grants = merge([
    for fn, spec in local.topology.functions : { for topic in spec.publishes : "${fn}/${topic}" => { function = fn, topic = topic } }
  ]...)
  function_secret_grants = merge([
    for fn, spec in local.topology.functions : { for secret in spec.secrets : "${fn}/${secret}" => { function = fn, secret = secret } }
  ]...)
  public_functions = toset([for fn, spec in local.topology.functions : fn if spec.public])
  push_targets     = toset([for topic, sub in local.push_subscriptions : sub.function])
}

# --- builds ---------------------------------------------------------------------------------------

# What Cloud Functions needs of a custom build account: write logs, push the image, read the
# source (which Cloud Functions copies into its own gcf-v2-sources-* bucket first).
resource "google_project_iam_member" "build" {
  for_each = toset(["roles/logging.logWriter", "roles/artifactregistry.writer", "roles/storage.objectViewer"])

  project = var.project_id
  role    = each.key
  member  = google_service_account.build.member
}

# --- function runtime accounts -------------------------------------------------------------------

# Firestore IAM is project-wide: every function reads and writes state documents.
resource "google_project_iam_member" "function_datastore" {
  for_each = local.functions

  project = var.project_id
  role    = "roles/datastore.user"
  member  = google_service_account.function[each.key].member
}

# Every function exports its OpenTelemetry metrics to Cloud Monitoring.
resource "google_project_iam_member" "function_metric_writer" {
  for_each = local.functions

  project = var.project_id
  role    = "roles/monitoring.metricWriter"
  member  = google_service_account.function[each.key].member
}

resource "google_pubsub_topic_iam_member" "function_publisher" {
  for_each = local.function_topic_grants

  project = var.project_id
  topic   = google_pubsub_topic.topic[each.value.topic].name
  role    = "roles/pubsub.publisher"
  member  = google_service_account.function[each.value.function].member
}

# Secrets are read at use time (versions/latest): accessor reads a value, viewer lists the enabled
# versions (accessEnabled: current and previous webhook secrets and admin tokens during a rotation).
resource "google_secret_manager_secret_iam_member" "function_accessor" {
  for_each = local.function_secret_grants

  project   = var.project_id
  secret_id = google_secret_manager_secret.secret[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.function[each.value.function].member
}

resource "google_secret_manager_secret_iam_member" "function_viewer" {
  for_each = local.function_secret_grants

  project   = var.project_id
  secret_id = google_secret_manager_secret.secret[each.value.secret].secret_id
  role      = "roles/secretmanager.viewer"
  member    = google_service_account.function[each.value.function].member
}

# Rotation: the scheduler adds a new version and disables old ones of the rotated secrets, and of
# the AI provider keys once a new version added by hand passes its check (shared/scheduler/ai-key-rotation.ts).
resource "google_secret_manager_secret_iam_member" "scheduler_rotation" {
  for_each = toset(concat(var.rotated_secrets, ["openai-api-key", "anthropic-api-key", "gemini-api-key"]))

  project   = var.project_id
  secret_id = google_secret_manager_secret.secret[each.key].secret_id
  role      = "roles/secretmanager.secretVersionManager"
  member    = google_service_account.function["scheduler"].member
}

# --- invocation ----------------------------------------------------------------------------------

# The webhook, Drive notification and API endpoints authenticate their callers themselves
# (signature, channel token, bearer token), so Cloud Run lets anyone reach them.
resource "google_cloud_run_v2_service_iam_member" "public_invoker" {
  for_each = local.public_functions

  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.function[each.key].name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_v2_service_iam_member" "push_invoker" {
  for_each = local.push_targets

  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.function[each.key].name
  role     = "roles/run.invoker"
  member   = google_service_account.push_invoker.member
}

# The status API reads the dead letters (pull, then release or acknowledge after a replay).
resource "google_pubsub_subscription_iam_member" "dead_letter_reader" {
  for_each = local.push_subscriptions

  project      = var.project_id
  subscription = google_pubsub_subscription.dead_letter[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = google_service_account.function["status-api"].member
}

# --- Google service agents -----------------------------------------------------------------------

# Pub/Sub mints the push OIDC tokens as the invoker account.
resource "google_service_account_iam_member" "pubsub_token_creator" {
  service_account_id = google_service_account.push_invoker.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
}

# Dead-lettering needs publish on the dead-letter topic and subscribe on the source subscription.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = local.push_subscriptions

  project = var.project_id
  topic   = google_pubsub_topic.dead_letter[each.key].name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "push_subscriber" {
  for_each = local.push_subscriptions

  project      = var.project_id
  subscription = google_pubsub_subscription.push[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

resource "google_pubsub_topic_iam_member" "secret_manager_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.topic["secret-rotation"].name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_project_service_identity.secretmanager.email}"
}
