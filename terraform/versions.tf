terraform {
  # plantimestamp() (secret rotation start) needs 1.5.
  required_version = ">= 1.5"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0, < 8.0"
    }
    # google_project_service_identity (the Pub/Sub and Secret Manager service agents) is beta-only.
    google-beta = {
      source  = "hashicorp/google-beta"
      version = ">= 6.0, < 8.0"
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
