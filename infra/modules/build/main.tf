# What cloudbuild.yaml needs: the image repository, a bucket for `gcloud builds submit` sources,
# and a dedicated build service account with only the roles its steps use.

resource "google_artifact_registry_repository" "images" {
  project       = var.project_id
  location      = var.region
  repository_id = var.repository_id
  format        = "DOCKER"
  description   = "Service images, tagged by commit (cloudbuild.yaml)."

  # Rollbacks deploy earlier images: keep the recent ones, drop old untagged layers.
  cleanup_policy_dry_run = false
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = var.keep_images
    }
  }
  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      older_than = "2592000s"
    }
  }
}

resource "google_storage_bucket" "sources" {
  project                     = var.project_id
  name                        = "${var.project_id}-build-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true

  lifecycle_rule {
    condition {
      age = 30
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = var.account_id
  display_name = "Cloud Build: tests, images, Cloud Run and Hosting deploys"
}

locals {
  build_member = "serviceAccount:${google_service_account.build.email}"
  # Project-wide roles the build steps need (cloudbuild.yaml):
  project_roles = {
    # gcloud run deploy / services update-traffic / services describe on the two services.
    run_developer = "roles/run.developer"
    # firebase deploy --only hosting (versions, releases).
    hosting_admin = "roles/firebasehosting.admin"
    # firebase-tools checks that the Hosting API is enabled before it deploys.
    service_usage = "roles/serviceusage.serviceUsageConsumer"
    # Build logs (options.logging: CLOUD_LOGGING_ONLY).
    log_writer = "roles/logging.logWriter"
  }
}

resource "google_project_iam_member" "build" {
  for_each = local.project_roles

  project = var.project_id
  role    = each.value
  member  = local.build_member
}

resource "google_artifact_registry_repository_iam_member" "build_writer" {
  project    = var.project_id
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.writer"
  member     = local.build_member
}

resource "google_storage_bucket_iam_member" "build_reads_sources" {
  bucket = google_storage_bucket.sources.name
  role   = "roles/storage.objectViewer"
  member = local.build_member
}

# Deploying a revision that runs as a service account means acting as that account.
resource "google_service_account_iam_member" "build_acts_as_runtime" {
  for_each = var.runtime_service_account_ids

  service_account_id = each.value
  role               = "roles/iam.serviceAccountUser"
  member             = local.build_member
}
