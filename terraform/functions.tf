locals {
  # One Cloud Run function per folder in functions/; the key is the folder name, the --target
  # (entry point) its index.ts registers with `http(...)`, and the suffix of the function name.
  # Whether it is public, its timeout, the topics it publishes to and the secrets it reads come from
  # shared/topology (local.topology.functions); here only how it is deployed:
  #   github:    calls GitHub (gets GITHUB_API_URL, GITHUB_APP_ID and the App key).
  functions = {
    "github-webhook" = {
      account     = "gh-webhook"
      description = "Verifies GitHub webhook signatures, deduplicates deliveries and publishes github-events."
      github      = false
    }
    "drive-notifications" = {
      account     = "drive-notify"
      description = "Checks Drive channel id and token, drops sync messages and duplicates, publishes drive-changes."
      github      = false
    }
    "status-api" = {
      account     = "status-api"
      description = "REST API, OpenAPI document and dashboard."
      github      = true
    }
    "sync-worker" = {
      account     = "sync-worker"
      description = "Runs one sync per Pub/Sub push delivery (github-events, drive-changes, sync-requests)."
      github      = true
    }
    "scheduler" = {
      account     = "scheduler"
      description = "Reconcile, Drive channel renewal, GitHub delivery recovery and secret rotation (Pub/Sub push)."
      github      = true
    }
  }

  # Cloud Run's deterministic service URL (https://SERVICE-PROJECT_NUMBER.REGION.run.app) is known
  # before the service exists, so every function can be told each address without a cycle. Each
  # address is its own function's (the API's OpenAPI servers and OAuth callback must name
  # status-api, Drive must deliver to drive-notifications); var.public_url puts one domain that
  # routes every path in front of them all instead.
  run_url_suffix = "${data.google_project.this.number}.${var.region}.run.app"
  urls = {
    api                 = var.public_url != "" ? var.public_url : "https://${var.name_prefix}-status-api-${local.run_url_suffix}"
    drive_notifications = "${var.public_url != "" ? var.public_url : "https://${var.name_prefix}-drive-notifications-${local.run_url_suffix}"}/drive/notifications"
    github_webhook      = "${var.public_url != "" ? var.public_url : "https://${var.name_prefix}-github-webhook-${local.run_url_suffix}"}/github/webhook"
  }

  # Every function; names are SETTINGS in shared/config/settings.ts.
  common_env = {
    BRIDGE_BACKEND                 = "gcp"
    GOOGLE_CLOUD_PROJECT           = var.project_id
    FIRESTORE_DATABASE             = google_firestore_database.main.name
    BRIDGE_TOPIC_PREFIX            = var.topic_prefix
    BRIDGE_API_URL                 = local.urls.api
    BRIDGE_DRIVE_NOTIFICATIONS_URL = local.urls.drive_notifications
    BRIDGE_GITHUB_WEBHOOK_URL      = local.urls.github_webhook
    LOG_LEVEL                      = var.log_level
  }
  # Functions with github = true; empty values are left out.
  github_env = {
    GITHUB_API_URL         = var.github_api_url
    GITHUB_APP_ID          = var.github_app_id
    GITHUB_OAUTH_CLIENT_ID = var.github_oauth_client_id
  }

  source_dir = var.source_dir != "" ? var.source_dir : "${path.module}/.build/source"
}

# terraform/scripts/package-source.sh stages package.json, the lock file, functions/, shared/ and a
# root index.js that imports every functions/<name>/index.ts (the buildpack loads index.js; the
# entry point picks the function).
data "archive_file" "source" {
  type        = "zip"
  source_dir  = local.source_dir
  output_path = "${path.module}/.build/function-source.zip"
}

resource "google_storage_bucket" "source" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name_prefix}-fn-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = var.labels
  depends_on                  = [time_sleep.apis_ready]
}

# Named by content, so a code change is a new object and every function rebuilds from it.
resource "google_storage_bucket_object" "source" {
  bucket = google_storage_bucket.source.name
  name   = "function-source-${data.archive_file.source.output_md5}.zip"
  source = data.archive_file.source.output_path
}

resource "google_cloudfunctions2_function" "function" {
  for_each = local.functions

  project     = var.project_id
  location    = var.region
  name        = "${var.name_prefix}-${each.key}"
  description = each.value.description
  labels      = var.labels

  build_config {
    runtime         = var.runtime
    entry_point     = each.key
    service_account = google_service_account.build.id
    environment_variables = {
      # The code runs from TypeScript source (Node's type stripping): skip the buildpack's default
      # `npm run build`, so the image gets production dependencies only.
      GOOGLE_NODE_RUN_SCRIPTS = ""
    }
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.function[each.key].email
    available_memory                 = var.memory
    available_cpu                    = "1"
    max_instance_request_concurrency = var.request_concurrency
    min_instance_count               = 0
    max_instance_count               = var.max_instances
    timeout_seconds                  = local.topology.functions[each.key].timeout_seconds
    ingress_settings                 = local.topology.functions[each.key].public ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision   = true

    environment_variables = merge(
      local.common_env,
      { for name, value in local.github_env : name => value if each.value.github && value != "" },
    )

    # loadConfig requires GITHUB_APP_PRIVATE_KEY in the environment whenever GITHUB_APP_ID is set.
    # Cloud Run resolves "latest" when an instance starts; rotate the App key by adding a version.
    dynamic "secret_environment_variables" {
      for_each = each.value.github && var.github_app_id != "" ? [1] : []
      content {
        key        = "GITHUB_APP_PRIVATE_KEY"
        project_id = var.project_id
        secret     = google_secret_manager_secret.secret["github-app-private-key"].secret_id
        version    = "latest"
      }
    }
  }

  depends_on = [
    google_project_iam_member.build,
    google_secret_manager_secret_iam_member.function_accessor,
  ]
}
