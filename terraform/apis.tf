locals {
  apis = [
    "artifactregistry.googleapis.com", # images Cloud Functions builds
    "cloudbuild.googleapis.com",       # Cloud Functions builds the source with Cloud Build
    "cloudfunctions.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "cloudscheduler.googleapis.com",
    "drive.googleapis.com", # the sync worker, scheduler and status API call Drive as their service account
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "logging.googleapis.com",    # log retention (the _Default bucket)
    "monitoring.googleapis.com", # the metrics exporter, alert policies and the dashboard
    "pubsub.googleapis.com",
    "run.googleapis.com", # 2nd gen functions are Cloud Run services
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ]
}

data "google_project" "this" {
  project_id = var.project_id
}

resource "google_project_service" "apis" {
  for_each = var.enable_apis ? toset(local.apis) : toset([])

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

# A freshly enabled API can answer 403 for a minute or two; everything that calls one waits on this.
resource "time_sleep" "apis_ready" {
  create_duration = var.enable_apis ? "60s" : "0s"
  depends_on      = [google_project_service.apis]
}

resource "google_project_service_identity" "pubsub" {
  provider   = google-beta
  project    = var.project_id
  service    = "pubsub.googleapis.com"
  depends_on = [time_sleep.apis_ready]
}

resource "google_project_service_identity" "secretmanager" {
  provider   = google-beta
  project    = var.project_id
  service    = "secretmanager.googleapis.com"
  depends_on = [time_sleep.apis_ready]
}
