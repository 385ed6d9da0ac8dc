variable "project_id" {
  type        = string
  description = "The Google Cloud project of the queue."
}

variable "region" {
  type        = string
  description = "The queue's location (the services' CLOUD_TASKS_LOCATION)."
}

variable "name" {
  type        = string
  description = "Queue id. A deleted queue's id cannot be reused for about 7 days."
}

variable "max_attempts" {
  type        = number
  description = "Attempts per task, the first one included."
}

variable "min_backoff_seconds" {
  type        = number
  description = "Wait before the first retry."
}

variable "max_backoff_seconds" {
  type        = number
  description = "Longest wait between two retries."
}

variable "max_doublings" {
  type        = number
  description = "How many times the wait doubles before it grows linearly."
}

variable "max_dispatches_per_second" {
  type        = number
  description = "Tasks started per second at most."
}

variable "max_concurrent_dispatches" {
  type        = number
  description = "Tasks in flight at once at most."
}

variable "enqueuers" {
  type        = map(string)
  description = "IAM members allowed to create tasks in this queue, keyed by a static name."
}

variable "log_sampling_ratio" {
  type        = number
  description = "Share of task attempts logged to Cloud Logging (0.0 to 1.0)."
  default     = 1.0
}
