// Package progress lets a reader deep inside a transport tell the client
// that the server is still sending. The client's timeout bounds how long
// the server keeps it waiting; a transport that reads a whole body before
// it returns (the drift check's capture) would otherwise have a slow but
// steady body taken for a silent one.
package progress

import "context"

type key struct{}

// With returns ctx carrying f, which Report calls.
func With(ctx context.Context, f func()) context.Context {
	return context.WithValue(ctx, key{}, f)
}

// Report tells whoever set a function in ctx, if anyone, that bytes
// arrived.
func Report(ctx context.Context) {
	if f, ok := ctx.Value(key{}).(func()); ok {
		f()
	}
}
