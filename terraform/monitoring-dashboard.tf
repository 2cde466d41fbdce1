# One Cloud Monitoring dashboard with the figures the local dashboard's Health section shows.
locals {
  push_subscription_ids = [for key, sub in local.push_subscriptions : "${var.topic_prefix}${sub.name}"]

  # title => { filter, aligner, reducer, group_by }; each is one line chart.
  dashboard_charts = [
    {
      title   = "Sync duration p95 (s)"
      filter  = "metric.type = ${format("%q", "${local.metric_prefix}bridge.sync.duration")}"
      aligner = "ALIGN_DELTA"
      reducer = "REDUCE_PERCENTILE_95"
      group   = ["metric.label.direction"]
    },
    {
      title   = "Syncs by outcome"
      filter  = "metric.type = ${format("%q", "${local.metric_prefix}bridge.sync.runs")}"
      aligner = "ALIGN_RATE"
      reducer = "REDUCE_SUM"
      group   = ["metric.label.outcome"]
    },
    {
      title   = "Freshness p95: event to other side written (s)"
      filter  = "metric.type = ${format("%q", "${local.metric_prefix}bridge.sync.freshness")}"
      aligner = "ALIGN_DELTA"
      reducer = "REDUCE_PERCENTILE_95"
      group   = []
    },
    {
      title   = "Conflicts opened"
      filter  = "metric.type = ${format("%q", "${local.metric_prefix}bridge.conflicts.opened")}"
      aligner = "ALIGN_RATE"
      reducer = "REDUCE_SUM"
      group   = ["metric.label.kind"]
    },
    {
      title   = "Webhooks and notifications received"
      filter  = "metric.type = ${format("%q", "${local.metric_prefix}bridge.intake.received")}"
      aligner = "ALIGN_RATE"
      reducer = "REDUCE_SUM"
      group   = ["metric.label.source", "metric.label.outcome"]
    },
    {
      title   = "Provider calls by status"
      filter  = "metric.type = ${format("%q", "${local.metric_prefix}bridge.provider.calls")}"
      aligner = "ALIGN_RATE"
      reducer = "REDUCE_SUM"
      group   = ["metric.label.provider", "metric.label.status_class"]
    },
    {
      title   = "Rate-limit headroom (share left)"
      filter  = local.filters.rate_limit_ratio
      aligner = "ALIGN_MIN"
      reducer = "REDUCE_MIN"
      group   = ["metric.label.provider"]
    },
    {
      title   = "AI spend (USD) by purpose"
      filter  = "metric.type = ${format("%q", "${local.metric_prefix}bridge.ai.cost")}"
      aligner = "ALIGN_RATE"
      reducer = "REDUCE_SUM"
      group   = ["metric.label.purpose"]
    },
    {
      title   = "AI providers available (1 closed, 0 open or key refused)"
      filter  = "metric.type = ${format("%q", "${local.metric_prefix}bridge.ai.provider.available")}"
      aligner = "ALIGN_MIN"
      reducer = "REDUCE_MIN"
      group   = ["metric.label.provider"]
    },
    {
      title = "Messages waiting per push subscription"
      filter = join(" AND ", [
        "resource.type = ${format("%q", "pubsub_subscription")}",
        "metric.type = ${format("%q", "pubsub.googleapis.com/subscription/num_undelivered_messages")}",
        "resource.label.subscription_id = one_of(${join(", ", [for s in local.push_subscription_ids : format("%q", s)])})",
      ])
      aligner = "ALIGN_MAX"
      reducer = "REDUCE_SUM"
      group   = ["resource.label.subscription_id"]
    },
    {
      title   = "Dead letters waiting"
      filter  = local.filters.dead_letters
      aligner = "ALIGN_MAX"
      reducer = "REDUCE_SUM"
      group   = ["resource.label.subscription_id"]
    },
    {
      title   = "Webhook endpoints: 5xx"
      filter  = local.filters.webhook_5xx
      aligner = "ALIGN_RATE"
      reducer = "REDUCE_SUM"
      group   = ["resource.label.service_name"]
    },
  ]
}

resource "google_monitoring_dashboard" "bridge" {
  project = var.project_id
  dashboard_json = jsonencode({
    displayName = "Integration Bridge (${var.name_prefix})"
    mosaicLayout = {
      columns = 12
      tiles = [for i, chart in local.dashboard_charts : {
        xPos   = (i % 2) * 6
        yPos   = floor(i / 2) * 4
        width  = 6
        height = 4
        widget = {
          title = chart.title
          xyChart = {
            dataSets = [{
              plotType = "LINE"
              timeSeriesQuery = {
                timeSeriesFilter = {
                  filter = chart.filter
                  aggregation = {
                    alignmentPeriod    = "60s"
                    perSeriesAligner   = chart.aligner
                    crossSeriesReducer = chart.reducer
                    groupByFields      = chart.group
                  }
                }
              }
            }]
          }
        }
      }]
    }
  })
  depends_on = [time_sleep.apis_ready]
}
