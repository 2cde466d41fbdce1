# Alerts, a dashboard and log retention. The bridge's own figures come from its OpenTelemetry meter
# (shared/metrics), exported to Cloud Monitoring as workload.googleapis.com/<instrument name>; the
# rest are Google's own metrics (Pub/Sub, Cloud Run). Filters are written with format("%q") so the
# quotes Cloud Monitoring needs are escaped by Terraform, not by hand.

locals {
  metric_prefix = "workload.googleapis.com/"

  notification_channels = concat(
    [for email in var.alert_emails : google_monitoring_notification_channel.email[email].id],
    var.alert_slack_channel != "" ? [google_monitoring_notification_channel.slack[0].id] : [],
  )

  dead_letter_subscriptions = [for key, sub in local.push_subscriptions : "${var.topic_prefix}${sub.dead_letter_subscription}"]
  webhook_services          = ["${var.name_prefix}-github-webhook", "${var.name_prefix}-drive-notifications"]

  filters = {
    sync_failed = join(" AND ", [
      "metric.type = ${format("%q", "${local.metric_prefix}bridge.sync.runs")}",
      "metric.label.outcome = ${format("%q", "failed")}",
    ])
    dead_letters = join(" AND ", [
      "resource.type = ${format("%q", "pubsub_subscription")}",
      "metric.type = ${format("%q", "pubsub.googleapis.com/subscription/num_undelivered_messages")}",
      "resource.label.subscription_id = one_of(${join(", ", [for s in local.dead_letter_subscriptions : format("%q", s)])})",
    ])
    rate_limit_ratio = "metric.type = ${format("%q", "${local.metric_prefix}bridge.provider.rate_limit.ratio")}"
    webhook_5xx = join(" AND ", [
      "resource.type = ${format("%q", "cloud_run_revision")}",
      "metric.type = ${format("%q", "run.googleapis.com/request_count")}",
      "resource.label.service_name = one_of(${join(", ", [for s in local.webhook_services : format("%q", s)])})",
      "metric.label.response_code_class = ${format("%q", "5xx")}",
    ])
    # The scheduler's health job logs each change of an integration's status; unhealthy is ERROR.
    health_unhealthy = join(" AND ", [
      "severity = ERROR",
      "jsonPayload.message = ${format("%q", "integration health changed")}",
      "jsonPayload.status = ${format("%q", "unhealthy")}",
    ])
  }
}

resource "google_monitoring_notification_channel" "email" {
  for_each = toset(var.alert_emails)

  project      = var.project_id
  display_name = "Integration Bridge alerts: ${each.value}"
  type         = "email"
  labels = {
    email_address = each.value
  }
  user_labels = var.labels
  depends_on  = [time_sleep.apis_ready]
}

resource "google_monitoring_notification_channel" "slack" {
  count = var.alert_slack_channel != "" ? 1 : 0

  project      = var.project_id
  display_name = "Integration Bridge alerts: Slack ${var.alert_slack_channel}"
  type         = "slack"
  labels = {
    channel_name = var.alert_slack_channel
  }
  sensitive_labels {
    auth_token = var.alert_slack_token
  }
  user_labels = var.labels
  depends_on  = [time_sleep.apis_ready]
}

# The metric-threshold alerts; each notifies every configured channel and says what to do.
locals {
  threshold_alerts = {
    sync_failures = {
      name      = "Bridge: syncs failing"
      doc       = "More than ${var.alert_sync_failures} syncs gave up in 10 minutes. `bridge status <link>` and the dashboard's Health section say which links and why."
      condition = "failed syncs over 10 minutes"
      filter    = local.filters.sync_failed
      compare   = "COMPARISON_GT"
      threshold = var.alert_sync_failures
      duration  = "0s"
      period    = "600s"
      aligner   = "ALIGN_DELTA"
      reducer   = "REDUCE_SUM"
    }
    dead_letters = {
      name      = "Bridge: dead letters waiting"
      doc       = "Messages have waited on a dead-letter subscription for ${var.alert_dead_letter_minutes} minutes. List them with GET /api/v1/dead-letters and replay them once the cause is fixed."
      condition = "undelivered dead letters"
      filter    = local.filters.dead_letters
      compare   = "COMPARISON_GT"
      threshold = 0
      duration  = "${var.alert_dead_letter_minutes * 60}s"
      period    = "60s"
      aligner   = "ALIGN_MAX"
      reducer   = null
    }
    rate_limit_headroom = {
      name      = "Bridge: provider rate limit nearly used up"
      doc       = "Less than ${var.alert_rate_limit_headroom * 100} % of a GitHub or Drive rate limit is left. Syncs of the accounts concerned slow down until the limit resets."
      condition = "rate-limit headroom"
      filter    = local.filters.rate_limit_ratio
      compare   = "COMPARISON_LT"
      threshold = var.alert_rate_limit_headroom
      duration  = "300s"
      period    = "60s"
      aligner   = "ALIGN_MIN"
      reducer   = null
    }
    webhook_errors = {
      name      = "Bridge: webhook endpoints answering 5xx"
      doc       = "github-webhook or drive-notifications answered more than ${var.alert_webhook_5xx} 5xx in 5 minutes: GitHub and Drive will retry, then give up on those events. Their logs name the cause."
      condition = "5xx on the webhook functions"
      filter    = local.filters.webhook_5xx
      compare   = "COMPARISON_GT"
      threshold = var.alert_webhook_5xx
      duration  = "0s"
      period    = "300s"
      aligner   = "ALIGN_DELTA"
      reducer   = "REDUCE_SUM"
    }
  }
}

resource "google_monitoring_alert_policy" "threshold" {
  for_each = local.threshold_alerts

  project               = var.project_id
  display_name          = each.value.name
  combiner              = "OR"
  notification_channels = local.notification_channels
  user_labels           = var.labels

  documentation {
    content   = each.value.doc
    mime_type = "text/markdown"
  }

  conditions {
    display_name = each.value.condition
    condition_threshold {
      filter          = each.value.filter
      comparison      = each.value.compare
      threshold_value = each.value.threshold
      duration        = each.value.duration
      aggregations {
        alignment_period     = each.value.period
        per_series_aligner   = each.value.aligner
        cross_series_reducer = each.value.reducer
      }
      trigger {
        count = 1
      }
    }
  }
  depends_on = [time_sleep.apis_ready]
}

resource "google_monitoring_alert_policy" "health_unhealthy" {
  project               = var.project_id
  display_name          = "Bridge: an integration is unhealthy"
  combiner              = "OR"
  notification_channels = local.notification_channels
  user_labels           = var.labels

  documentation {
    content   = "The health job found an integration unhealthy (credentials rejected, rate limit exhausted, or the design unreachable). GET /api/v1/health lists the failing checks with their reasons."
    mime_type = "text/markdown"
  }

  conditions {
    display_name = "health changed to unhealthy"
    condition_matched_log {
      filter = local.filters.health_unhealthy
      label_extractors = {
        link  = "EXTRACT(jsonPayload.linkId)"
        check = "EXTRACT(jsonPayload.check)"
      }
    }
  }

  alert_strategy {
    notification_rate_limit {
      period = "300s"
    }
    auto_close = "1800s"
  }
  depends_on = [time_sleep.apis_ready]
}

# Cloud Logging's _Default bucket keeps logs 30 days unless told otherwise; the specification asks 90.
resource "google_logging_project_bucket_config" "default" {
  project        = var.project_id
  location       = "global"
  bucket_id      = "_Default"
  retention_days = var.log_retention_days
  depends_on     = [time_sleep.apis_ready]
}
