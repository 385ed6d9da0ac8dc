# Project-level grants. Firestore has no per-collection IAM: both services are Firestore users
# (the rules deny every client, so only these identities, through IAM, reach the data).
resource "google_project_iam_member" "session_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.session.email}"
}

resource "google_project_iam_member" "lead_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.lead.email}"
}

# A task carrying an OIDC token for the tasks account can only be created by someone who may act
# as that account: the session service (trigger tasks) and the lead service (its own tasks).
resource "google_service_account_iam_member" "session_acts_as_tasks" {
  service_account_id = google_service_account.tasks.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.session.email}"
}

resource "google_service_account_iam_member" "lead_acts_as_tasks" {
  service_account_id = google_service_account.tasks.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.lead.email}"
}
