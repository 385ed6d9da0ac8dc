output "repository" {
  description = "The image repository path, <region>-docker.pkg.dev/<project>/<repository>."
  value       = "${google_artifact_registry_repository.images.location}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}

output "repository_id" {
  description = "The Artifact Registry repository id."
  value       = google_artifact_registry_repository.images.repository_id
}

output "service_account_email" {
  description = "The build service account (gcloud builds submit --service-account)."
  value       = google_service_account.build.email
}

output "service_account_id" {
  description = "The build service account's resource name (projects/<p>/serviceAccounts/<email>)."
  value       = google_service_account.build.name
}

output "sources_bucket" {
  description = "Bucket for gcloud builds submit --gcs-source-staging-dir."
  value       = google_storage_bucket.sources.name
}
