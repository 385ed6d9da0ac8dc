# ChatKit Lead Intake on one Google Cloud project: the session and lead services on Cloud Run,
# Firestore, two Cloud Tasks queues, Secret Manager, the image repository, the build's identity
# and the Firebase Hosting site. Environments (infra/environments/*) call this module.

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  # firebase.json's rewrites and cloudbuild.yaml name these services too (a test keeps them equal).
  session_service_name = "chatkit-session"
  lead_service_name    = "chatkit-lead"

  # Cloud Run's deterministic URLs (https://<service>-<project number>.<region>.run.app) are known
  # before the services exist, so each service's own URL can be in its configuration (decision 0015).
  session_url = "https://${local.session_service_name}-${data.google_project.this.number}.${var.region}.run.app"
  lead_url    = "https://${local.lead_service_name}-${data.google_project.this.number}.${var.region}.run.app"

  site_origins    = concat(["https://${var.hosting_site_id}.web.app", "https://${var.hosting_site_id}.firebaseapp.com"], [for domain in var.custom_domains : "https://${domain}"])
  allowed_origins = distinct(concat(local.site_origins, var.extra_allowed_origins))
  # The origin the pages name as canonical (WEB_SITE_ORIGIN): the first custom domain, else web.app.
  canonical_origin = length(var.custom_domains) > 0 ? "https://${var.custom_domains[0]}" : "https://${var.hosting_site_id}.web.app"

  # The shop profile as the images ship it (the Dockerfile copies packages/shared/shops to /app).
  shop_profile_path = "/app/packages/shared/shops/${var.shop_profile}"

  # Firestore collections (the services' CHAT_THREADS_COLLECTION / FIRESTORE_COLLECTION).
  chat_threads_collection = "chatThreads"
  lead_collection         = "leadThreads"

  # The lead worker's task settings; the queue is configured from the same numbers.
  task_dispatch_deadline_seconds = 300
  task_max_attempts              = 8
  lead_lease_seconds             = 600

  apis = [
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "cloudtasks.googleapis.com",
    "firebase.googleapis.com",
    "firebasehosting.googleapis.com",
    "firebaserules.googleapis.com",
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "logging.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "serviceusage.googleapis.com",
    "storage.googleapis.com",
  ]
}

module "apis" {
  source = "../project-apis"

  project_id = var.project_id
  services   = local.apis
}

# One identity per service, and one that Cloud Tasks signs OIDC tokens as when it calls the lead
# service's /tasks/lead and /tasks/trigger (the lead service accepts no other caller there).
resource "google_service_account" "session" {
  project      = var.project_id
  account_id   = "chatkit-session"
  display_name = "ChatKit session service (Cloud Run)"
  depends_on   = [module.apis]
}

resource "google_service_account" "lead" {
  project      = var.project_id
  account_id   = "chatkit-lead"
  display_name = "Lead service (Cloud Run)"
  depends_on   = [module.apis]
}

resource "google_service_account" "tasks" {
  project      = var.project_id
  account_id   = "chatkit-lead-tasks"
  display_name = "Cloud Tasks invoker of the lead service's task endpoints"
  depends_on   = [module.apis]
}

module "firestore" {
  source = "../firestore"

  project_id          = var.project_id
  location            = var.firestore_location
  rules               = file("${path.module}/../../firestore.rules")
  deletion_protection = var.deletion_protection
  ttl_policies = [
    { collection_group = local.lead_collection, field = "expiresAt" },
    { collection_group = local.chat_threads_collection, field = "expiresAt" },
    { collection_group = "items", field = "expiresAt" },
    # Places taken under the per-thread and per-day caps (decision 0023).
    { collection_group = "slots", field = "expiresAt" },
  ]
  composite_indexes = [
    {
      id               = "threads-by-owner-asc"
      collection_group = local.chat_threads_collection
      fields = [
        { field_path = "owner", order = "ASCENDING" },
        { field_path = "sortKey", order = "ASCENDING" },
      ]
    },
    {
      id               = "threads-by-owner-desc"
      collection_group = local.chat_threads_collection
      fields = [
        { field_path = "owner", order = "ASCENDING" },
        { field_path = "sortKey", order = "DESCENDING" },
      ]
    },
  ]

  depends_on = [module.apis]
}

module "secrets" {
  source = "../secrets"

  project_id = var.project_id
  secret_ids = ["OPENAI_API_KEY", "VISITOR_TOKEN_KEYS", "SES_AWS_ACCESS_KEY_ID", "SES_AWS_SECRET_ACCESS_KEY"]
  labels     = { app = "chatkit-lead-intake" }
  accessors = {
    "session/OPENAI_API_KEY"         = { secret_id = "OPENAI_API_KEY", member = "serviceAccount:${google_service_account.session.email}" }
    "session/VISITOR_TOKEN_KEYS"     = { secret_id = "VISITOR_TOKEN_KEYS", member = "serviceAccount:${google_service_account.session.email}" }
    "lead/OPENAI_API_KEY"            = { secret_id = "OPENAI_API_KEY", member = "serviceAccount:${google_service_account.lead.email}" }
    "lead/SES_AWS_ACCESS_KEY_ID"     = { secret_id = "SES_AWS_ACCESS_KEY_ID", member = "serviceAccount:${google_service_account.lead.email}" }
    "lead/SES_AWS_SECRET_ACCESS_KEY" = { secret_id = "SES_AWS_SECRET_ACCESS_KEY", member = "serviceAccount:${google_service_account.lead.email}" }
  }

  depends_on = [module.apis]
}

# The lead service's own queue: evaluations, safety nets and record-sent follow-ups (/tasks/lead).
# Every attempt may call OpenAI and SES: a few at a time, retried with backoff, and the worker
# sends a degraded email on the last attempt, so max_attempts must be TASK_MAX_ATTEMPTS.
module "lead_queue" {
  source = "../task-queue"

  project_id                = var.project_id
  region                    = var.region
  name                      = "lead-evaluations"
  max_attempts              = local.task_max_attempts
  min_backoff_seconds       = 10
  max_backoff_seconds       = 300
  max_doublings             = 4
  max_dispatches_per_second = 5
  max_concurrent_dispatches = 10
  enqueuers                 = { lead = "serviceAccount:${google_service_account.lead.email}" }

  depends_on = [module.apis]
}

# The session service's server-side `auto` trigger after each turn (decision 0008): cheap calls
# to /tasks/trigger, retried while the lead service deploys or Firestore hiccups.
module "trigger_queue" {
  source = "../task-queue"

  project_id                = var.project_id
  region                    = var.region
  name                      = "lead-triggers"
  max_attempts              = 10
  min_backoff_seconds       = 5
  max_backoff_seconds       = 120
  max_doublings             = 4
  max_dispatches_per_second = 20
  max_concurrent_dispatches = 20
  enqueuers                 = { session = "serviceAccount:${google_service_account.session.email}" }

  depends_on = [module.apis]
}

module "build" {
  source = "../build"

  project_id    = var.project_id
  region        = var.region
  repository_id = "chatkit-lead-intake"
  account_id    = "chatkit-build"
  runtime_service_account_ids = {
    session = google_service_account.session.name
    lead    = google_service_account.lead.name
  }

  depends_on = [module.apis]
}

module "hosting" {
  source = "../hosting"

  project_id     = var.project_id
  site_id        = var.hosting_site_id
  custom_domains = var.custom_domains
  add_firebase   = var.add_firebase

  depends_on = [module.apis]
}
