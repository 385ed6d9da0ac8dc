variable "project_id" {
  type        = string
  description = "The Google Cloud project of the database."
}

variable "location" {
  type        = string
  description = "Firestore location id (e.g. us-west1 or the multi-region nam5). Cannot be changed after creation."
}

variable "ttl_policies" {
  type = list(object({
    collection_group = string
    field            = string
  }))
  description = "Collection groups and the timestamp field Firestore's TTL deletes their documents by."
}

variable "composite_indexes" {
  type = list(object({
    id               = string
    collection_group = string
    fields = list(object({
      field_path = string
      order      = string
    }))
  }))
  description = "Composite indexes: a stable id (the map key) per index, its collection group and ordered fields."
}

variable "rules" {
  type        = string
  description = "The Firestore security rules source (infra/firestore.rules)."
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the database from deletion (and keep it when Terraform forgets it)."
}
