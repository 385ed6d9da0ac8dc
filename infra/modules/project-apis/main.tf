# The Google APIs the product uses. Disabling them on destroy is left off: other things in the
# project may use them too.
resource "google_project_service" "this" {
  for_each = toset(var.services)

  project                    = var.project_id
  service                    = each.value
  disable_on_destroy         = false
  disable_dependent_services = false
}
