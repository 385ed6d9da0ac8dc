output "ids" {
  description = "Secret resource ids (projects/<project>/secrets/<id>) by secret id."
  value       = { for secret_id, secret in google_secret_manager_secret.this : secret_id => secret.id }
}

output "latest_versions" {
  description = "The latest-version resource names (what the services' <NAME>_SECRET variables take) by secret id."
  value       = { for secret_id, secret in google_secret_manager_secret.this : secret_id => "${secret.id}/versions/latest" }
}
