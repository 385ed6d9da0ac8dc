# The Firestore database (Native mode) both services use through IAM, its TTL policies, the
# composite indexes the thread store's queries need, and the security rules (no client access).
# infra/firestore.indexes.json describes the same indexes and TTL fields for the Firebase CLI and
# the emulator; a test (tools/deploy-checks) keeps the two equal.

resource "google_firestore_database" "this" {
  project                 = var.project_id
  name                    = "(default)"
  location_id             = var.location
  type                    = "FIRESTORE_NATIVE"
  concurrency_mode        = "PESSIMISTIC"
  delete_protection_state = var.deletion_protection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  deletion_policy         = var.deletion_protection ? "ABANDON" : "DELETE"
}

# TTL policies: Firestore deletes a document some time (usually within a day) after the instant
# in its TTL field. The single-field index on that field is exempted: nothing queries it.
resource "google_firestore_field" "ttl" {
  for_each = { for policy in var.ttl_policies : "${policy.collection_group}/${policy.field}" => policy }

  project    = var.project_id
  database   = google_firestore_database.this.name
  collection = each.value.collection_group
  field      = each.value.field

  ttl_config {}
  index_config {}
}

resource "google_firestore_index" "composite" {
  for_each = { for index in var.composite_indexes : index.id => index }

  project     = var.project_id
  database    = google_firestore_database.this.name
  collection  = each.value.collection_group
  query_scope = "COLLECTION"

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path = fields.value.field_path
      order      = fields.value.order
    }
  }
}

resource "google_firebaserules_ruleset" "firestore" {
  project = var.project_id

  source {
    files {
      name    = "firestore.rules"
      content = var.rules
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_firebaserules_release" "firestore" {
  project      = var.project_id
  name         = "cloud.firestore"
  ruleset_name = "projects/${var.project_id}/rulesets/${google_firebaserules_ruleset.firestore.name}"

  depends_on = [google_firestore_database.this]

  lifecycle {
    replace_triggered_by = [google_firebaserules_ruleset.firestore]
  }
}
