# The two Cloud Run services. Every variable the services' zod configs need is set here
# (services/*/src/config.ts); secrets are references, never values: the services read
# <NAME>_SECRET from Secret Manager themselves (decision 0004), and the AWS SDK's credentials
# come from Secret Manager through Cloud Run. tools/deploy-checks parses this and runs each
# service's real loadConfig() on it.

# ChatKit server + visitor tokens. Streams answers for up to a few minutes; after a turn's stream
# ends it still enqueues the lead trigger task, so its CPU stays allocated between requests.
module "session_service" {
  source = "../cloud-run-service"

  project_id              = var.project_id
  region                  = var.region
  name                    = local.session_service_name
  image                   = var.initial_image
  service_account_email   = google_service_account.session.email
  request_timeout_seconds = 300
  max_concurrency         = 80
  min_instances           = var.session_min_instances
  max_instances           = var.session_max_instances
  cpu_always_allocated    = true
  public                  = true
  deletion_protection     = var.deletion_protection

  env = {
    GOOGLE_CLOUD_PROJECT       = var.project_id
    LOG_LEVEL                  = var.log_level
    ALLOWED_ORIGINS            = join(",", local.allowed_origins)
    TRUSTED_PROXY_RANGES       = join(",", var.trusted_proxy_ranges)
    OPENAI_API_KEY_SECRET      = module.secrets.latest_versions["OPENAI_API_KEY"]
    VISITOR_TOKEN_KEYS_SECRET  = module.secrets.latest_versions["VISITOR_TOKEN_KEYS"]
    AGENT_MODEL                = var.agent_model
    CHAT_THREADS_COLLECTION    = local.chat_threads_collection
    CHAT_RETENTION_DAYS        = tostring(var.chat_retention_days)
    LEAD_TRIGGER_URL           = "${local.lead_url}/tasks/trigger"
    LEAD_TRIGGER_QUEUE         = module.trigger_queue.name
    CLOUD_TASKS_LOCATION       = var.region
    TASK_SERVICE_ACCOUNT_EMAIL = google_service_account.tasks.email
    SHOP_PROFILE_PATH          = local.shop_profile_path
  }

  depends_on = [module.secrets, google_project_iam_member.session_firestore, google_service_account_iam_member.session_acts_as_tasks]
}

# Lead triggers (public, through Hosting) and the Cloud Tasks worker. A task attempt may take up to
# the dispatch deadline, so requests may too.
module "lead_service" {
  source = "../cloud-run-service"

  project_id              = var.project_id
  region                  = var.region
  name                    = local.lead_service_name
  image                   = var.initial_image
  service_account_email   = google_service_account.lead.email
  request_timeout_seconds = local.task_dispatch_deadline_seconds
  max_concurrency         = 20
  min_instances           = var.lead_min_instances
  max_instances           = var.lead_max_instances
  cpu_always_allocated    = false
  public                  = true
  invokers                = { tasks = "serviceAccount:${google_service_account.tasks.email}" }
  deletion_protection     = var.deletion_protection

  env = {
    GOOGLE_CLOUD_PROJECT           = var.project_id
    LOG_LEVEL                      = var.log_level
    ALLOWED_ORIGINS                = join(",", local.allowed_origins)
    TRUSTED_PROXY_RANGES           = join(",", var.trusted_proxy_ranges)
    OPENAI_API_KEY_SECRET          = module.secrets.latest_versions["OPENAI_API_KEY"]
    LEAD_SUMMARY_MODEL             = var.lead_summary_model
    FIRESTORE_COLLECTION           = local.lead_collection
    CHAT_THREADS_COLLECTION        = local.chat_threads_collection
    CLOUD_TASKS_QUEUE              = module.lead_queue.name
    CLOUD_TASKS_LOCATION           = var.region
    TASK_HANDLER_URL               = "${local.lead_url}/tasks/lead"
    TASK_SERVICE_ACCOUNT_EMAIL     = google_service_account.tasks.email
    TASK_DISPATCH_DEADLINE_SECONDS = tostring(local.task_dispatch_deadline_seconds)
    TASK_MAX_ATTEMPTS              = tostring(local.task_max_attempts)
    LEAD_LEASE_SECONDS             = tostring(local.lead_lease_seconds)
    LEAD_RETENTION_DAYS            = tostring(var.lead_retention_days)
    SES_REGION                     = var.ses_region
    LEAD_TO_EMAIL                  = join(",", var.lead_to_emails)
    LEAD_FROM_EMAIL                = var.lead_from_email
    SHOP_EMAIL_LANGUAGE            = var.shop_email_language
    VISITOR_RECAP_ENABLED          = tostring(var.visitor_recap_enabled)
    CONVERSATION_URL_TEMPLATE      = "https://console.cloud.google.com/firestore/databases/-default-/data/panel/${local.chat_threads_collection}/{threadId}?project=${var.project_id}"
    SHOP_PROFILE_PATH              = local.shop_profile_path
  }

  # The AWS SDK reads its credentials from these variables (an IAM user allowed ses:SendEmail only).
  secret_env = {
    AWS_ACCESS_KEY_ID     = { secret = module.secrets.ids["SES_AWS_ACCESS_KEY_ID"], version = "latest" }
    AWS_SECRET_ACCESS_KEY = { secret = module.secrets.ids["SES_AWS_SECRET_ACCESS_KEY"], version = "latest" }
  }

  depends_on = [module.secrets, google_project_iam_member.lead_firestore, google_service_account_iam_member.lead_acts_as_tasks]
}
