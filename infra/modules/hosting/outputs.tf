output "site_id" {
  description = "The Hosting site id (cloudbuild.yaml's _SITE_ID)."
  value       = google_firebase_hosting_site.this.site_id
}

output "default_url" {
  description = "The site's default URL, https://<site_id>.web.app."
  value       = google_firebase_hosting_site.this.default_url
}

output "custom_domain_dns_updates" {
  description = "DNS records each custom domain needs before Hosting can serve it."
  value       = { for domain, resource in google_firebase_hosting_custom_domain.this : domain => resource.required_dns_updates }
}
