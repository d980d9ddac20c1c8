package progress

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestReportCallsTheFunctionOfTheContext(t *testing.T) {
	calls := 0
	ctx := With(context.Background(), func() { calls++ })
	Report(ctx)
	Report(context.WithoutCancel(ctx))
	Report(context.Background()) // nobody listens: nothing happens
	assert.Equal(t, 2, calls)
}
