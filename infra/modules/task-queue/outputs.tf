output "name" {
  description = "The queue id."
  value       = google_cloud_tasks_queue.this.name
}

output "path" {
  description = "projects/<project>/locations/<region>/queues/<name>"
  value       = "projects/${var.project_id}/locations/${var.region}/queues/${google_cloud_tasks_queue.this.name}"
}
