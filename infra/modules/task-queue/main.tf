# One Cloud Tasks queue with HTTP targets (the tasks carry their own URL and OIDC token), its
# retry policy and rate limits, and who may enqueue into it.

resource "google_cloud_tasks_queue" "this" {
  project  = var.project_id
  location = var.region
  name     = var.name

  rate_limits {
    max_dispatches_per_second = var.max_dispatches_per_second
    max_concurrent_dispatches = var.max_concurrent_dispatches
  }

  # No max_retry_duration: the attempt count alone decides when a task gives up, so the worker
  # can count on its last attempt (TASK_MAX_ATTEMPTS) actually happening.
  retry_config {
    max_attempts  = var.max_attempts
    min_backoff   = "${var.min_backoff_seconds}s"
    max_backoff   = "${var.max_backoff_seconds}s"
    max_doublings = var.max_doublings
  }

  stackdriver_logging_config {
    sampling_ratio = var.log_sampling_ratio
  }
}

resource "google_cloud_tasks_queue_iam_member" "enqueuer" {
  for_each = var.enqueuers

  project  = var.project_id
  location = google_cloud_tasks_queue.this.location
  name     = google_cloud_tasks_queue.this.name
  role     = "roles/cloudtasks.enqueuer"
  member   = each.value
}
