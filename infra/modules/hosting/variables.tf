variable "project_id" {
  type        = string
  description = "The Google Cloud project Firebase is added to."
}

variable "site_id" {
  type        = string
  description = "Hosting site id, globally unique: the site answers at https://<site_id>.web.app."
}

variable "custom_domains" {
  type        = list(string)
  description = "Hostnames (no scheme) to connect to the site, e.g. www.example-upholstery.com."
}

variable "add_firebase" {
  type        = bool
  description = "Add Firebase to the project; false when it already is a Firebase project."
}
