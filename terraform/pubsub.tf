locals {
  # Topics, who publishes and who consumes each, and the push subscriptions with their delivery
  # settings are declared once, in shared/topology; `npm run topology` writes them to topology.json
  # (Terraform cannot read TypeScript, and test/terraform fails when the file is not current). Read
  # with file() rather than taken as a variable, so no -var can make the infrastructure disagree with
  # the code. Names are without var.topic_prefix, which goes in front of each here.
  topology           = jsondecode(file("${path.module}/topology.json"))
  push_subscriptions = local.topology.push_subscriptions

  pubsub_agent = "serviceAccount:${google_project_service_identity.pubsub.email}"
}

resource "google_pubsub_topic" "topic" {
  for_each = local.topology.topics

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
  name       = "${var.topic_prefix}${each.value.dead_letter_topic}"
  labels     = var.labels
  depends_on = [time_sleep.apis_ready]
}

resource "google_pubsub_subscription" "dead_letter" {
  for_each = local.push_subscriptions

  project                    = var.project_id
  name                       = "${var.topic_prefix}${each.value.dead_letter_subscription}"
  topic                      = google_pubsub_topic.dead_letter[each.key].id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  retain_acked_messages      = false
  labels                     = var.labels

  expiration_policy {
    ttl = ""
  }
}

# Terraform owns these (not Eventarc) so each carries a dead-letter policy. The push handler finds
# the topic of a delivery from its `subscription` in the same topology, so renaming one here without
# the code answers 500 (redelivered, then dead-lettered) instead of dropping messages.
resource "google_pubsub_subscription" "push" {
  for_each = local.push_subscriptions

  project = var.project_id
  name    = "${var.topic_prefix}${each.value.name}"
  topic   = google_pubsub_topic.topic[each.key].id
  labels  = var.labels

  # The consumer answers 2xx only when the work is durably done: the ack deadline is its whole timeout.
  ack_deadline_seconds       = each.value.ack_deadline_seconds
  message_retention_duration = "604800s"
  # Ordering key = link id (or repo): one link's events are delivered one at a time, in order.
  enable_message_ordering = each.value.enable_message_ordering

  push_config {
    push_endpoint = google_cloudfunctions2_function.function[each.value.function].service_config[0].uri

    oidc_token {
      service_account_email = google_service_account.push_invoker.email
      audience              = google_cloudfunctions2_function.function[each.value.function].service_config[0].uri
    }
  }

  retry_policy {
    minimum_backoff = each.value.minimum_backoff
    maximum_backoff = each.value.maximum_backoff
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter[each.key].id
    max_delivery_attempts = each.value.max_delivery_attempts
  }

  expiration_policy {
    ttl = ""
  }

  depends_on = [
    google_cloud_run_v2_service_iam_member.push_invoker,
    google_pubsub_topic_iam_member.dead_letter_publisher,
  ]
}
