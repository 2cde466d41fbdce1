resource "google_firestore_database" "main" {
  project                     = var.project_id
  name                        = var.firestore_database
  location_id                 = var.firestore_location != "" ? var.firestore_location : var.region
  type                        = "FIRESTORE_NATIVE"
  concurrency_mode            = "PESSIMISTIC"
  app_engine_integration_mode = "DISABLED"
  delete_protection_state     = var.deletion_protection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  deletion_policy             = var.deletion_protection ? "ABANDON" : "DELETE"
  depends_on                  = [time_sleep.apis_ready]
}

locals {
  # TTL_COLLECTIONS in shared/records/collections.ts. `expireAt` is a top-level Timestamp next to
  # `data` (null when a document does not expire). Its default single-field index stays:
  # purgeExpired() queries it.
  ttl_collections = ["deliveries", "idempotency", "oauth-states", "health-history", "notification-marks", "ai-calls", "ai-usage", "ai-quota-overrides", "change-summaries", "conflict-suggestions"]

  # StateStore.query needs a composite index for an equality filter plus an ordering on another
  # field, or two equality filters (shared/adapters/gcp/firestore-query.ts). A port document's body
  # sits in the map field `data`, so every path is `data.<field>`; __name__ is appended by Firestore.
  composite_indexes = {
    # listLinks: tenant ==, orderBy createdAt (shared/records/link-repository.ts)
    links-by-tenant = {
      collection = "links"
      fields     = [["data.tenant", "ASCENDING"], ["data.createdAt", "ASCENDING"]]
    }
    # operations history and the sync/history alias: linkId ==, orderBy queuedAt desc
    operations-by-link = {
      collection = "operations"
      fields     = [["data.linkId", "ASCENDING"], ["data.queuedAt", "DESCENDING"]]
    }
    # GET /api/v1/stats for a tenant: tenant ==, queuedAt >=, orderBy queuedAt desc (shared/api/routes/stats.ts)
    operations-by-tenant = {
      collection = "operations"
      fields     = [["data.tenant", "ASCENDING"], ["data.queuedAt", "DESCENDING"]]
    }
    # GET /api/v1/deliveries?outcome=: outcome ==, orderBy lastSeen desc (shared/ingress/delivery-record.ts)
    deliveries-by-outcome = {
      collection = "deliveries"
      fields     = [["data.outcome", "ASCENDING"], ["data.lastSeen", "DESCENDING"]]
    }
    # conflicts of a link: linkId ==, orderBy createdAt desc (shared/api/routes/history.ts)
    conflicts-by-link = {
      collection = "conflicts"
      fields     = [["data.linkId", "ASCENDING"], ["data.createdAt", "DESCENDING"]]
    }
    # conflicts of a link in one state, paged: linkId ==, state ==, orderBy createdAt desc
    conflicts-by-link-state = {
      collection = "conflicts"
      fields     = [["data.linkId", "ASCENDING"], ["data.state", "ASCENDING"], ["data.createdAt", "DESCENDING"]]
    }
    # conflicts of one kind, in one state or not, paged and counted (GET …/conflicts?kind=, the
    # bulk resolve in shared/api/routes/bulk-resolve.ts): linkId ==, [state ==,] kind ==, orderBy createdAt desc
    conflicts-by-link-state-kind = {
      collection = "conflicts"
      fields     = [["data.linkId", "ASCENDING"], ["data.state", "ASCENDING"], ["data.kind", "ASCENDING"], ["data.createdAt", "DESCENDING"]]
    }
    conflicts-by-link-kind = {
      collection = "conflicts"
      fields     = [["data.linkId", "ASCENDING"], ["data.kind", "ASCENDING"], ["data.createdAt", "DESCENDING"]]
    }
    # conflicts one sync recorded, open or settled (GET …/conflicts?operationId=&state=, bridge sync --wait)
    conflicts-by-operation = {
      collection = "conflicts"
      fields     = [["data.linkId", "ASCENDING"], ["data.operationId", "ASCENDING"], ["data.state", "ASCENDING"], ["data.createdAt", "DESCENDING"]]
    }
    # the same for one sync without a state, or narrowed to one kind (GET …/conflicts?operationId=&kind=[&state=])
    conflicts-by-operation-any-state = {
      collection = "conflicts"
      fields     = [["data.linkId", "ASCENDING"], ["data.operationId", "ASCENDING"], ["data.createdAt", "DESCENDING"]]
    }
    conflicts-by-operation-kind = {
      collection = "conflicts"
      fields     = [["data.linkId", "ASCENDING"], ["data.operationId", "ASCENDING"], ["data.kind", "ASCENDING"], ["data.createdAt", "DESCENDING"]]
    }
    conflicts-by-operation-state-kind = {
      collection = "conflicts"
      fields     = [["data.linkId", "ASCENDING"], ["data.operationId", "ASCENDING"], ["data.state", "ASCENDING"], ["data.kind", "ASCENDING"], ["data.createdAt", "DESCENDING"]]
    }
    # open or settled conflicts of a link (shared/sync/run-sync.ts, resolve-conflicts alias)
    conflicts-by-link-and-state = {
      collection = "conflicts"
      fields     = [["data.linkId", "ASCENDING"], ["data.state", "ASCENDING"]]
    }
    # settled decisions a sync still has to write: linkId ==, state ==, applied == (run-sync.ts)
    conflicts-to-apply = {
      collection = "conflicts"
      fields     = [["data.linkId", "ASCENDING"], ["data.state", "ASCENDING"], ["data.applied", "ASCENDING"]]
    }
    # one tenant's AI call audit records, newest first (GET /api/v1/ai/calls; shared/records/ai-calls.ts)
    # and from a day on (GET /api/v1/ai/usage: tenant ==, at >=, orderBy at desc; shared/records/ai-usage.ts)
    ai-calls-by-tenant = {
      collection = "ai-calls"
      fields     = [["data.tenant", "ASCENDING"], ["data.at", "DESCENDING"]]
    }
    # a link's changes of health status: linkId ==, orderBy at desc (GET /api/v1/health/history)
    health-history-by-link = {
      collection = "health-history"
      fields     = [["data.linkId", "ASCENDING"], ["data.at", "DESCENDING"]]
    }
  }
}

resource "google_firestore_index" "composite" {
  for_each = local.composite_indexes

  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = each.value.collection

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path = fields.value[0]
      order      = fields.value[1]
    }
  }
}

# Idempotency markers and delivery records expire on their own (deletion within about a day of
# `expireAt`, so readers still compare `expireAt` with now).
resource "google_firestore_field" "ttl" {
  for_each = toset(local.ttl_collections)

  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = each.key
  field      = "expireAt"

  ttl_config {}
}
