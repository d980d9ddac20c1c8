// Package upstream holds openapi.yaml to Tallyfy's own Swagger 2.0, fact by
// fact.
//
// Tallyfy's Swagger 2.0 (v2.0.0) was published in the public repository
// tallyfy/documentation until 2025. The project keeps a small extract of it
// (upstream/swagger-extract.json: the two list operations and every
// definition they reach, without prose), rebuilt from a copy of the file by
// Extract. LoadExtract converts the extract with kin-openapi's openapi2conv;
// Compare lists every difference between it and openapi.yaml: a missing
// parameter or property, another type, format or enum value, a property
// only one side requires. Check holds those
// differences against the reviewed list in upstream/reconciliation.yaml:
// an unlisted difference fails, and so does a listed one that no longer
// exists. Additions lists the facts only openapi.yaml has (a property, an
// enum value) where the Swagger describes the same thing; CheckObserved
// holds the reconciliation's observed entries, what was added because the
// drift check saw the API send it, to them.
package upstream
