terraform {
  # plantimestamp() (secret rotation start) needs 1.5.
  required_version = ">= 1.5"

  # npm test checks every google resource against the schema of exactly these versions (the one
  # @cdktf/provider-google and -google-beta were generated from), so the range admits no older 6.x,
  # which may lack an argument used here, and no 7.x, whose schema was not checked. Moving on means
  # upgrading those packages and this range together (test/terraform/provider-versions.test.ts).
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.50"
    }
    # google_project_service_identity (the Pub/Sub and Secret Manager service agents) is beta-only.
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "~> 6.50"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4"
    }
    time = {
      source  = "hashicorp/time"
      version = ">= 0.11"
    }
  }

  # State lives in a GCS bucket you create once (docs/deploy.md):
  #   terraform init -backend-config="bucket=<project>-tfstate"
  # CI validates with `terraform init -backend=false`.
  backend "gcs" {
    prefix = "integration-bridge"
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}
