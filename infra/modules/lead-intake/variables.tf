variable "project_id" {
  type        = string
  description = "The Google Cloud project everything is created in."
}

variable "region" {
  type        = string
  description = "Region of Cloud Run, Cloud Tasks and Artifact Registry. firebase.json's rewrites name the region too, so change both together."
  default     = "us-west1"
}

variable "firestore_location" {
  type        = string
  description = "Firestore location (a region such as us-west1, or a multi-region such as nam5). Fixed once the database exists."
  default     = "us-west1"
}

variable "hosting_site_id" {
  type        = string
  description = "Firebase Hosting site id, globally unique: the site answers at https://<id>.web.app (often the project id)."
}

variable "add_firebase" {
  type        = bool
  description = "Add Firebase to the project. Set false when the project already is a Firebase project."
  default     = true
}

variable "custom_domains" {
  type        = list(string)
  description = "Hostnames (no scheme) served by the Hosting site, e.g. [\"www.example-upholstery.com\"]. Each becomes an allowed origin."
  default     = []
}

variable "extra_allowed_origins" {
  type        = list(string)
  description = "More origins allowed to call the API from a browser: sites that embed widget.js (https://host, no path)."
  default     = []
}

variable "trusted_proxy_ranges" {
  type        = list(string)
  description = "CIDR ranges of Firebase Hosting's egress, trusted as proxies for the client IP (decision 0007); empty = key Hosting requests on Hosting's address."
  default     = []
}

variable "initial_image" {
  type        = string
  description = "Image the services start with before the first Cloud Build deploy; later images are Cloud Build's."
  default     = "us-docker.pkg.dev/cloudrun/container/hello"
}

variable "log_level" {
  type        = string
  description = "Services' LOG_LEVEL: trace, debug, info, warn, error, fatal or silent."
  default     = "info"
}

variable "agent_model" {
  type        = string
  description = "OpenAI model of the chat agent (AGENT_MODEL)."
  default     = "gpt-4.1-mini"
}

variable "lead_summary_model" {
  type        = string
  description = "OpenAI model of the lead summary (LEAD_SUMMARY_MODEL)."
  default     = "gpt-4.1-mini"
}

variable "chat_retention_days" {
  type        = number
  description = "Days a conversation is kept after its last write (Firestore TTL)."
  default     = 90
}

variable "lead_retention_days" {
  type        = number
  description = "Days a lead record is kept after its last update (Firestore TTL)."
  default     = 30
}

variable "lead_to_emails" {
  type        = list(string)
  description = "Where lead emails go (the shop's inboxes)."
}

variable "lead_from_email" {
  type        = string
  description = "Sender of lead emails: an address of an SES-verified identity in ses_region."
}

variable "ses_region" {
  type        = string
  description = "AWS region of the SES identity."
  default     = "us-west-1"
}

variable "shop_email_language" {
  type        = string
  description = "Language of the lead email's labels and AI notes (e.g. en, es)."
  default     = "en"
}

variable "visitor_recap_enabled" {
  type        = bool
  description = "Also email the visitor a recap (needs SES production access)."
  default     = false
}

variable "shop_profile" {
  type        = string
  description = "The shop profile's file name in packages/shared/shops/ (hours, services, phone; decision 0003). The services and the web build both read it."
  default     = "example-shop.json"
}

variable "session_min_instances" {
  type        = number
  description = "Warm session instances (0 = scale to zero; 1 removes cold starts for about the price of one always-on vCPU)."
  default     = 0
}

variable "session_max_instances" {
  type        = number
  description = "Most session instances (a cost ceiling)."
  default     = 10
}

variable "lead_min_instances" {
  type        = number
  description = "Warm lead instances."
  default     = 0
}

variable "lead_max_instances" {
  type        = number
  description = "Most lead instances."
  default     = 5
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the services and the Firestore database from terraform destroy."
  default     = true
}
