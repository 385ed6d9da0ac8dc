variable "project_id" {
  type        = string
  description = "The Google Cloud project of this environment."
}

variable "region" {
  type        = string
  description = "Region of Cloud Run, Cloud Tasks and Artifact Registry (firebase.json's rewrites name it too)."
  default     = "us-west1"
}

variable "firestore_location" {
  type        = string
  description = "Firestore location; fixed once the database exists."
  default     = "us-west1"
}

variable "hosting_site_id" {
  type        = string
  description = "Firebase Hosting site id (https://<id>.web.app), globally unique."
}

variable "add_firebase" {
  type        = bool
  description = "Add Firebase to the project (false if it already is a Firebase project)."
  default     = true
}

variable "custom_domains" {
  type        = list(string)
  description = "Custom hostnames of the site, e.g. [\"www.example-upholstery.com\"]."
  default     = []
}

variable "extra_allowed_origins" {
  type        = list(string)
  description = "Origins of other sites that embed the widget."
  default     = []
}

variable "trusted_proxy_ranges" {
  type        = list(string)
  description = "Firebase Hosting egress CIDR ranges trusted for the client IP (decision 0007)."
  default     = []
}

variable "lead_to_emails" {
  type        = list(string)
  description = "The shop inboxes lead emails go to."
}

variable "lead_from_email" {
  type        = string
  description = "SES-verified sender of lead emails."
}

variable "ses_region" {
  type        = string
  description = "AWS region of the SES identity."
  default     = "us-west-1"
}

variable "shop_email_language" {
  type        = string
  description = "Language of the lead email (en, es, ...)."
  default     = "en"
}

variable "shop_profile" {
  type        = string
  description = "The shop profile's file name in packages/shared/shops/ (read by the services and the web build)."
  default     = "example-shop.json"
}

variable "session_min_instances" {
  type        = number
  description = "Warm session instances (0 = scale to zero)."
  default     = 0
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the services and the database from terraform destroy."
  default     = true
}
