output "database" {
  description = "The database name, (default)."
  value       = google_firestore_database.this.name
}
