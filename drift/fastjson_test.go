package drift

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// standardDecode is what fastDecode stands in for: encoding/json with
// UseNumber, one value, nothing after it.
func standardDecode(data []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return v, true
}

var fastDecodeSeeds = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `-0.5e-3`, `1E+9`, `true`, `false`, `null`, ` {"a" : [1, 2 ,{"b":null}] } `,
	`{"a":1,"a":2}`, `{"url":"https:\/\/go.tallyfy.com\/api"}`, `"\"\\\/\b\f\n\r\t"`, `"\u00e9\u20AC\ud83d\ude00"`,
	`"é€😀"`, `"\u0000"`, `"\ufffd"`, `[[[[[]]]]]`, `{"data":[{"id":"x","n":12345678901234567890123}]}`,
	// What fastDecode leaves to encoding/json, or what is not JSON.
	`"\ud83d"`, `"\ud83dx"`, `"\ud83d\u0041"`, `"\x"`, `"\u12"`, "\"a\xffb\"", "\"a\tb\"", `01`, `1.`, `.5`, `-`, `1e`, `+1`,
	`{"a"}`, `{"a":}`, `{,}`, `[1,]`, `[1 2]`, `{"a":1,}`, `tru`, `nul`, `truex`, `{} {}`, `{}x`, `"abc`, `[`, `{`, ``, ` `,
	`NaN`, `Infinity`, `{'a':1}`, "\"\xe2\x82\"",
}

// fastDecode gives exactly what encoding/json gives, or leaves the input to it.
func TestFastDecodeAgreesWithEncodingJSON(t *testing.T) {
	inputs := fastDecodeSeeds
	recordings, err := filepath.Glob("../recordings/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, recordings)
	for _, path := range recordings {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		inputs = append(inputs, string(data))
	}
	fast := 0
	for _, in := range inputs {
		got, ok := fastDecode([]byte(in), nil)
		want, wantOK := standardDecode([]byte(in))
		if ok {
			fast++
			require.True(t, wantOK, "fastDecode accepts what encoding/json rejects: %q", in)
			assert.Equal(t, want, got, "%q", in)
		}
	}
	assert.Greater(t, fast, len(recordings), "the fast path takes the common inputs")
	_, ok := fastDecode([]byte(`"\u00e9"`), nil)
	assert.True(t, ok, "escapes, as PHP writes them, stay on the fast path")
}

func TestFastDecodeLeavesDeepNestingToEncodingJSON(t *testing.T) {
	deep := bytes.Repeat([]byte("["), maxFastDepth+1)
	deep = append(deep, bytes.Repeat([]byte("]"), maxFastDepth+1)...)
	_, ok := fastDecode(deep, nil)
	assert.False(t, ok)
	_, err := decodeJSON(deep)
	assert.Error(t, err, "encoding/json rejects it")
}

func FuzzFastDecode(f *testing.F) {
	for _, s := range fastDecodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := fastDecode(data, nil)
		if !ok {
			return
		}
		want, wantOK := standardDecode(data)
		if !wantOK {
			t.Fatalf("fastDecode accepts what encoding/json rejects: %q", data)
		}
		if !assert.ObjectsAreEqual(want, got) {
			t.Fatalf("%q: fastDecode gives %#v, encoding/json %#v", data, got, want)
		}
	})
}
