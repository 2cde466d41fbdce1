# One runtime identity per function: each gets only the topics, secrets and roles it uses (iam.tf).
resource "google_service_account" "function" {
  for_each = local.functions

  project      = var.project_id
  account_id   = "${var.name_prefix}-${each.value.account}"
  display_name = "Integration bridge: ${each.key} function"
  depends_on   = [time_sleep.apis_ready]
}

# Pub/Sub signs push requests to the sync-worker and scheduler with an OIDC token for this account;
# it may only invoke those two services.
resource "google_service_account" "push_invoker" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-push-invoker"
  display_name = "Integration bridge: Pub/Sub push invoker"
  depends_on   = [time_sleep.apis_ready]
}

# Cloud Functions builds run as this account instead of the default compute account (which has no
# roles in new organisations).
resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-fn-build"
  display_name = "Integration bridge: function builds"
  depends_on   = [time_sleep.apis_ready]
}
