output "name" {
  description = "The service name."
  value       = google_cloud_run_v2_service.this.name
}

output "uri" {
  description = "The service's main URL as Cloud Run reports it."
  value       = google_cloud_run_v2_service.this.uri
}
