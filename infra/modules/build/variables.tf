variable "project_id" {
  type        = string
  description = "The Google Cloud project builds run in."
}

variable "region" {
  type        = string
  description = "Region of the image repository and the sources bucket."
}

variable "repository_id" {
  type        = string
  description = "Artifact Registry repository id (cloudbuild.yaml's _REPO)."
}

variable "account_id" {
  type        = string
  description = "Account id of the build service account."
}

variable "keep_images" {
  type        = number
  description = "Most recent image versions always kept (rollback targets)."
  default     = 20
}

variable "runtime_service_account_ids" {
  type        = map(string)
  description = "Service accounts the deployed services run as (resource ids), keyed by a static name; the build may act as them."
}
