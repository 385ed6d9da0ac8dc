module "lead_intake" {
  source = "../../modules/lead-intake"

  project_id            = var.project_id
  region                = var.region
  firestore_location    = var.firestore_location
  hosting_site_id       = var.hosting_site_id
  add_firebase          = var.add_firebase
  custom_domains        = var.custom_domains
  extra_allowed_origins = var.extra_allowed_origins
  trusted_proxy_ranges  = var.trusted_proxy_ranges
  lead_to_emails        = var.lead_to_emails
  lead_from_email       = var.lead_from_email
  ses_region            = var.ses_region
  shop_email_language   = var.shop_email_language
  shop_profile          = var.shop_profile
  session_min_instances = var.session_min_instances
  deletion_protection   = var.deletion_protection
}
