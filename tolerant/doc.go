// Package tolerant holds the small JSON types that let the generated client
// decode a value in any shape one of Tallyfy's sources documents, where those
// sources disagree.
//
// The spec (openapi.yaml) is strict: it names one shape per field, and the
// drift check reports every value in another shape, with its JSON pointer.
// The client is tolerant: a date-time written with a space instead of "T",
// an ID sent as a number where the spec says string, a boolean sent as 0 or
// 1, or an owner sent as an object instead of an integer decodes without
// error, so one unexpected value never costs a page of tasks.
//
// Each type reads like the Go value it stands for: a Time is a time.Time
// (embedded), a Bool has its bool in the Bool field, an ID prints as its
// text, a UserRef has ID, FullName and ProfilePic. Each type also remembers
// the JSON text it was decoded from and encodes exactly that text again while
// its value is unchanged, so decoding a response and encoding it again gives
// back what the server sent. A value changed (or built) in Go encodes in its
// canonical shape.
//
// Errors never quote more than a short prefix of the value that was
// rejected. The package uses the standard library only: every program that
// imports the generated client imports it.
package tolerant
