# Firebase on the project and the Hosting site that serves web/dist (firebase.json). The site's
# content is deployed by Cloud Build (`firebase deploy --only hosting`), not by Terraform.

resource "google_firebase_project" "this" {
  count    = var.add_firebase ? 1 : 0
  provider = google-beta

  project = var.project_id
}

resource "google_firebase_hosting_site" "this" {
  provider = google-beta

  project = var.project_id
  site_id = var.site_id

  depends_on = [google_firebase_project.this]
}

# A custom domain: Hosting answers with the DNS records to create (output required_dns_updates).
resource "google_firebase_hosting_custom_domain" "this" {
  for_each = toset(var.custom_domains)
  provider = google-beta

  project               = var.project_id
  site_id               = google_firebase_hosting_site.this.site_id
  custom_domain         = each.value
  wait_dns_verification = false
}
