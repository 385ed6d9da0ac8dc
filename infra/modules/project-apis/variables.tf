variable "project_id" {
  type        = string
  description = "The Google Cloud project the APIs are enabled in."
}

variable "services" {
  type        = list(string)
  description = "API service names to enable, e.g. run.googleapis.com."
}
