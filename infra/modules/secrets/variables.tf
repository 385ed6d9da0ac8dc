variable "project_id" {
  type        = string
  description = "The Google Cloud project the secrets live in."
}

variable "secret_ids" {
  type        = list(string)
  description = "Secret ids to create (no versions: values are added with gcloud, see docs/deploy.md)."
}

variable "accessors" {
  type = map(object({
    secret_id = string
    member    = string
  }))
  description = "Who may read which secret, keyed by a static name such as \"session/OPENAI_API_KEY\": an IAM member (serviceAccount:…) and one of secret_ids."
}

variable "labels" {
  type        = map(string)
  description = "Labels put on every secret."
  default     = {}
}
