locals {
  # Cloud Scheduler -> scheduler-jobs topic -> scheduler function. The message is {"job": "<key>"}
  # with the same `job` attribute.
  scheduler_jobs = {
    "reconcile" = {
      schedule    = var.reconcile_schedule
      description = "Re-sync every link to catch events that never arrived."
    }
    "renew-channels" = {
      schedule    = var.channel_renewal_schedule
      description = "Renew Drive watch channels before they expire."
    }
    "recover-deliveries" = {
      schedule    = var.delivery_recovery_schedule
      description = "Ask GitHub to redeliver failed webhook deliveries."
    }
    "drive-changes" = {
      schedule    = var.drive_changes_schedule
      description = "Walk the Drive changes feed; sync links whose design changed without a notification."
    }
    "health" = {
      schedule    = var.health_schedule
      description = "Check every link's GitHub and Drive integration (auth, rate limit, webhook, channel) and record its health."
    }
  }
}

resource "google_cloud_scheduler_job" "job" {
  for_each = local.scheduler_jobs

  project     = var.project_id
  region      = var.region
  name        = "${var.name_prefix}-${each.key}"
  description = each.value.description
  schedule    = each.value.schedule
  time_zone   = var.scheduler_time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.topic["scheduler-jobs"].id
    data       = base64encode(jsonencode({ job = each.key }))
    attributes = {
      job = each.key
    }
  }

  depends_on = [time_sleep.apis_ready]
}
