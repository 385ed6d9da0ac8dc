output "project_number" {
  description = "The project number."
  value       = module.lead_intake.project_number
}

output "session_service" {
  description = "Cloud Run service name of the session service."
  value       = module.lead_intake.session_service
}

output "lead_service" {
  description = "Cloud Run service name of the lead service."
  value       = module.lead_intake.lead_service
}

output "session_url" {
  description = "The session service's own URL."
  value       = module.lead_intake.session_url
}

output "session_streaming_url" {
  description = "WEB_CHATKIT_URL of the web build."
  value       = module.lead_intake.session_streaming_url
}

output "lead_url" {
  description = "The lead service's own URL."
  value       = module.lead_intake.lead_url
}

output "canonical_origin" {
  description = "The site's canonical origin (_SITE_ORIGIN)."
  value       = module.lead_intake.canonical_origin
}

output "allowed_origins" {
  description = "ALLOWED_ORIGINS of both services."
  value       = module.lead_intake.allowed_origins
}

output "hosting_site_id" {
  description = "The Hosting site id (_SITE_ID)."
  value       = module.lead_intake.hosting_site_id
}

output "custom_domain_dns_updates" {
  description = "DNS records to create for each custom domain."
  value       = module.lead_intake.custom_domain_dns_updates
}

output "image_repository" {
  description = "Where the images are pushed."
  value       = module.lead_intake.image_repository
}

output "session_image" {
  description = "Session image name (tag = commit SHA)."
  value       = module.lead_intake.session_image
}

output "lead_image" {
  description = "Lead image name (tag = commit SHA)."
  value       = module.lead_intake.lead_image
}

output "build_service_account" {
  description = "gcloud builds submit --service-account value."
  value       = module.lead_intake.build_service_account
}

output "build_sources_bucket" {
  description = "gcloud builds submit --gcs-source-staging-dir bucket."
  value       = module.lead_intake.build_sources_bucket
}

output "tasks_service_account" {
  description = "The Cloud Tasks OIDC identity."
  value       = module.lead_intake.tasks_service_account
}

output "secret_ids" {
  description = "Secrets that need a value."
  value       = module.lead_intake.secret_ids
}

output "cloud_build_substitutions" {
  description = "cloudbuild.yaml substitutions (add _CHATKIT_DOMAIN_KEY and COMMIT_SHA)."
  value       = module.lead_intake.cloud_build_substitutions
}
