output "project_number" {
  description = "The project number (part of the services' deterministic URLs)."
  value       = data.google_project.this.number
}

output "region" {
  description = "The region of the services, queues and image repository."
  value       = var.region
}

output "session_service" {
  description = "Cloud Run service name of the session service."
  value       = module.session_service.name
}

output "lead_service" {
  description = "Cloud Run service name of the lead service."
  value       = module.lead_service.name
}

output "session_url" {
  description = "The session service's own URL."
  value       = local.session_url
}

output "session_streaming_url" {
  description = "ChatKit's api.url for the web build (WEB_CHATKIT_URL): the session service's own URL, because Hosting buffers streams (decision 0011)."
  value       = "${local.session_url}/api/chatkit"
}

output "lead_url" {
  description = "The lead service's own URL (its task endpoints are /tasks/lead and /tasks/trigger)."
  value       = local.lead_url
}

output "site_origins" {
  description = "The Hosting site's origins (default domains and custom domains)."
  value       = local.site_origins
}

output "canonical_origin" {
  description = "The site's canonical origin (cloudbuild.yaml's _SITE_ORIGIN, the web build's WEB_SITE_ORIGIN)."
  value       = local.canonical_origin
}

output "allowed_origins" {
  description = "ALLOWED_ORIGINS of both services."
  value       = local.allowed_origins
}

output "hosting_site_id" {
  description = "The Hosting site (cloudbuild.yaml's _SITE_ID)."
  value       = module.hosting.site_id
}

output "custom_domain_dns_updates" {
  description = "DNS records to create for each custom domain."
  value       = module.hosting.custom_domain_dns_updates
}

output "image_repository" {
  description = "Artifact Registry path the images are pushed to."
  value       = module.build.repository
}

output "session_image" {
  description = "Image name of the session service (tags are commit SHAs)."
  value       = "${module.build.repository}/session"
}

output "lead_image" {
  description = "Image name of the lead service (tags are commit SHAs)."
  value       = "${module.build.repository}/lead"
}

output "build_service_account" {
  description = "Resource name of the build service account (gcloud builds submit --service-account)."
  value       = module.build.service_account_id
}

output "build_sources_bucket" {
  description = "Bucket for gcloud builds submit --gcs-source-staging-dir."
  value       = module.build.sources_bucket
}

output "tasks_service_account" {
  description = "The account Cloud Tasks signs OIDC tokens as (TASK_SERVICE_ACCOUNT_EMAIL)."
  value       = google_service_account.tasks.email
}

output "secret_ids" {
  description = "Secret Manager secrets to give a value (gcloud secrets versions add)."
  value       = keys(module.secrets.ids)
}

output "cloud_build_substitutions" {
  description = "cloudbuild.yaml substitutions for this environment, except _CHATKIT_DOMAIN_KEY and COMMIT_SHA."
  value       = "_REGION=${var.region},_REPO=${module.build.repository_id},_SITE_ID=${module.hosting.site_id},_SITE_ORIGIN=${local.canonical_origin},_SHOP_PROFILE=${var.shop_profile}"
}
