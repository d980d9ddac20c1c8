package upstream

// OperationPair names one operation in openapi.yaml and the operation of
// Tallyfy's Swagger that describes the same endpoint.
type OperationPair struct {
	Ours     string // operationId in openapi.yaml
	Upstream string // operationId in Tallyfy's Swagger
}

// SchemaPair names a schema of openapi.yaml and the Swagger definition it
// is compared with, and why the two describe the same thing.
type SchemaPair struct {
	Ours     string // a schema in openapi.yaml's components
	Upstream string // a definition in Tallyfy's Swagger
	Why      string // why the two describe the same thing
}

// Mapping says what is compared with what.
type Mapping struct {
	// Operations are compared: their path, their parameters, and the
	// schemas their 200 responses reach.
	Operations []OperationPair
	// Schemas are compared besides what the operations reach.
	Schemas []SchemaPair
}

// Tallyfy is the mapping of openapi.yaml's two operations to Tallyfy's
// Swagger. The Swagger's Task has no include properties (step, run,
// threads, ...), so the schemas of the includes are paired with the
// definitions that the Swagger's own endpoints for those objects return.
var Tallyfy = Mapping{
	Operations: []OperationPair{
		{Ours: "listRunTasks", Upstream: "getProcessTasks"},
		{Ours: "listOrgTasks", Upstream: "getAllTasks"},
	},
	Schemas: includeSchemas,
}

var includeSchemas = []SchemaPair{
	{Ours: "Step", Upstream: "Step", Why: "the step include; the Swagger's template step endpoints return Step"},
	{Ours: "Run", Upstream: "Run", Why: "the run include; the Swagger's process endpoints return Run"},
	{Ours: "Checklist", Upstream: "Checklist", Why: "the run.checklist include; the Swagger's template endpoints return Checklist"},
	{Ours: "FormField", Upstream: "CaptureResponse", Why: "the form_fields include; the Swagger's task form-field endpoints return CaptureResponse"},
	{Ours: "FormField", Upstream: "Capture", Why: "the form_fields include; Capture is the Swagger's form-field model"},
	{Ours: "Thread", Upstream: "Thread", Why: "the threads and comments includes; the Swagger's comment endpoints return Thread"},
	{Ours: "Asset", Upstream: "Asset", Why: "the assets include; the Swagger's asset endpoints return Asset"},
	{Ours: "Tag", Upstream: "Tag", Why: "the tags include; the Swagger's tag endpoints return Tag"},
	{Ours: "Error", Upstream: "error", Why: "error bodies; the Swagger's error definition"},
}

// Provenance says where the upstream Swagger comes from.
type Provenance struct {
	Repository string `json:"repository"` // the GitHub repository, owner/name
	Commit     string `json:"commit"`     // the commit the file was taken at
	Path       string `json:"path"`       // the file's path in that repository
	SHA256     string `json:"sha256"`     // the file's SHA-256, hex
	Note       string `json:"note"`       // what else a reader should know
}

// Source is the provenance of the Swagger file the extract is built from.
var Source = Provenance{
	Repository: "tallyfy/documentation",
	Commit:     "5e9c7201054b",
	Path:       "src/content/docs/pro/assets/swagger.json",
	SHA256:     "0e7b69c2fe960409b9edb2efe6c27aad62eefd624bb094166be54423783972ac",
	Note: "Tallyfy's Swagger 2.0 (info.version 2.0.0), removed from that repository on 2025-04-17. " +
		"Extract: the operations getProcessTasks and getAllTasks and the definitions they and the paired " +
		"include schemas reach; descriptions, examples and other prose left out; a string's date template " +
		"(its example, e.g. YYYY-mm-dd HH:ii:ss) kept as its format. Rebuild: go run ./tools/upstream -from FILE",
}
