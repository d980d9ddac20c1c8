package bytesize

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{n: 1, want: "1 bytes"},
		{n: 1000, want: "1000 bytes"},
		{n: 64 << 10, want: "64 KiB"},
		{n: 1536, want: "1536 bytes"},
		{n: 32 << 20, want: "32 MiB"},
		{n: 3 << 30, want: "3 GiB"},
		{n: 1<<30 + 1<<20, want: "1025 MiB"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Format(tc.n), "%d", tc.n)
	}
}

func TestParseReadsBackWhatFormatWrites(t *testing.T) {
	for _, n := range []int64{1, 1000, 64 << 10, 32 << 20, 3 << 30, 1<<30 + 1<<20} {
		got, err := Parse(Format(n))
		require.NoError(t, err, Format(n))
		assert.Equal(t, n, got)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{in: "1048576", want: 1 << 20},
		{in: "512KiB", want: 512 << 10},
		{in: " 32 mib ", want: 32 << 20},
		{in: "1GiB", want: 1 << 30},
		{in: "10b", want: 10},
		{in: "1024GiB", want: 1 << 40},
		{in: "1025GiB", wantErr: true},
		{in: "0", wantErr: true},
		{in: "-5MiB", wantErr: true},
		{in: "5MB", wantErr: true},
		{in: "", wantErr: true},
		{in: "9223372036854775807", wantErr: true},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		if tc.wantErr {
			assert.Error(t, err, "%q", tc.in)
			continue
		}
		require.NoError(t, err, "%q", tc.in)
		assert.Equal(t, tc.want, got, "%q", tc.in)
	}
}
