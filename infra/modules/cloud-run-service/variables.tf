variable "project_id" {
  type        = string
  description = "The Google Cloud project of the service."
}

variable "region" {
  type        = string
  description = "The Cloud Run region (firebase.json's rewrites name it too)."
}

variable "name" {
  type        = string
  description = "The Cloud Run service name (firebase.json's rewrites and cloudbuild.yaml name it too)."
}

variable "image" {
  type        = string
  description = "The first image only: later images are deployed by Cloud Build and ignored here."
}

variable "service_account_email" {
  type        = string
  description = "The identity the service runs as."
}

variable "env" {
  type        = map(string)
  description = "Plain environment variables; null or empty values are left out (the service's default applies)."
}

variable "secret_env" {
  type = map(object({
    secret  = string
    version = string
  }))
  description = "Environment variables Cloud Run fills from Secret Manager at instance start: secret id and version."
  default     = {}
}

variable "request_timeout_seconds" {
  type        = number
  description = "How long one request (or one streamed response) may take."
}

variable "max_concurrency" {
  type        = number
  description = "Requests one instance serves at once."
}

variable "min_instances" {
  type        = number
  description = "Instances kept warm (0 = scale to zero; 1 avoids cold starts at a monthly cost)."
}

variable "max_instances" {
  type        = number
  description = "Upper bound on instances (a cost ceiling)."
}

variable "cpu" {
  type        = string
  description = "vCPUs per instance, e.g. \"1\"."
  default     = "1"
}

variable "memory" {
  type        = string
  description = "Memory per instance, e.g. \"512Mi\"."
  default     = "512Mi"
}

variable "cpu_always_allocated" {
  type        = bool
  description = "Keep CPU allocated between requests (work that outlives a response needs it)."
}

variable "public" {
  type        = bool
  description = "Allow unauthenticated invocation (allUsers gets roles/run.invoker)."
}

variable "invokers" {
  type        = map(string)
  description = "Further IAM members granted roles/run.invoker, keyed by a static name."
  default     = {}
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the service from Terraform."
}
