# Secret Manager secrets WITHOUT values: versions are added by hand (docs/deploy.md), so no
# secret ever lands in code or in Terraform state. Each accessor gets roles/secretmanager.secretAccessor
# on one named secret only, never on the project.

resource "google_secret_manager_secret" "this" {
  for_each = toset(var.secret_ids)

  project   = var.project_id
  secret_id = each.value
  labels    = var.labels

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each = var.accessors

  project   = var.project_id
  secret_id = google_secret_manager_secret.this[each.value.secret_id].id
  role      = "roles/secretmanager.secretAccessor"
  member    = each.value.member
}
