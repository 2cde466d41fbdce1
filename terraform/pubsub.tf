locals {
  # TOPICS in shared/ports/event-bus.ts; the code puts BRIDGE_TOPIC_PREFIX in front of each name.
  topics = ["github-events", "drive-changes", "sync-requests", "secret-rotation", "scheduler-jobs"]

  # Topic -> the function its push subscription delivers to (shared/server/function-handlers.ts
  # wires the same pairs on the embedded bus).
  push_subscriptions = {
    "github-events"   = "sync-worker"
    "drive-changes"   = "sync-worker"
    "sync-requests"   = "sync-worker"
    "secret-rotation" = "scheduler"
    "scheduler-jobs"  = "scheduler"
  }

  pubsub_agent = "serviceAccount:${google_project_service_identity.pubsub.email}"
}

resource "google_pubsub_topic" "topic" {
  for_each = toset(local.topics)

  project    = var.project_id
  name       = "${var.topic_prefix}${each.key}"
  labels     = var.labels
  depends_on = [time_sleep.apis_ready]
}

# Where a message lands after max_delivery_attempts failed pushes. The status API lists these
# subscriptions (synchronous pull, released at once) and replays a message onto its topic.
resource "google_pubsub_topic" "dead_letter" {
  for_each = local.push_subscriptions

  project    = var.project_id
  name       = "${var.topic_prefix}${each.key}-dead-letter"
  labels     = var.labels
  depends_on = [time_sleep.apis_ready]
}

resource "google_pubsub_subscription" "dead_letter" {
  for_each = local.push_subscriptions

  project                    = var.project_id
  name                       = "${var.topic_prefix}${each.key}-dead-letter"
  topic                      = google_pubsub_topic.dead_letter[each.key].id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  retain_acked_messages      = false
  labels                     = var.labels

  expiration_policy {
    ttl = ""
  }
}

# Terraform owns these (not Eventarc) so each carries a dead-letter policy. Named <topic>-push so a
# push handler can tell the topic from the envelope's `subscription`.
resource "google_pubsub_subscription" "push" {
  for_each = local.push_subscriptions

  project = var.project_id
  name    = "${var.topic_prefix}${each.key}-push"
  topic   = google_pubsub_topic.topic[each.key].id
  labels  = var.labels

  # The worker answers 2xx only when the work is durably done; its timeout bounds the ack deadline.
  ack_deadline_seconds       = local.functions[each.value].timeout
  message_retention_duration = "604800s"
  # Ordering key = link id (or repo): one link's events are delivered one at a time, in order.
  enable_message_ordering = true

  push_config {
    push_endpoint = google_cloudfunctions2_function.function[each.value].service_config[0].uri

    oidc_token {
      service_account_email = google_service_account.push_invoker.email
      audience              = google_cloudfunctions2_function.function[each.value].service_config[0].uri
    }
  }

  retry_policy {
    minimum_backoff = var.retry_minimum_backoff
    maximum_backoff = var.retry_maximum_backoff
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter[each.key].id
    max_delivery_attempts = var.max_delivery_attempts
  }

  expiration_policy {
    ttl = ""
  }

  depends_on = [
    google_cloud_run_v2_service_iam_member.push_invoker,
    google_pubsub_topic_iam_member.dead_letter_publisher,
  ]
}
