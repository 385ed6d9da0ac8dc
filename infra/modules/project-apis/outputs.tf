output "enabled" {
  description = "The enabled API service names (depend on this output to wait for them)."
  value       = [for service in google_project_service.this : service.service]
}
