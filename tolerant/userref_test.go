package tolerant_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/tolerant"
)

func TestUserRefAcceptsAnIDOrAnObject(t *testing.T) {
	cases := []struct {
		name     string
		json     string
		id       int
		fullName string
		picture  string
		isObject bool
	}{
		{"an integer", `1234`, 1234, "", "", false},
		{"an object", `{"id":1234,"full_name":"Ada Lovelace","profile_pic":"https://example.com/a.png"}`, 1234, "Ada Lovelace", "https://example.com/a.png", true},
		{"an object with a null picture", `{"id":1234,"full_name":"Ada","profile_pic":null}`, 1234, "Ada", "", true},
		{"an object with the id only", `{"id":1234}`, 1234, "", "", true},
		{"an object with spaces and another key", `{ "profile_pic": null, "id": 7, "email": "a@example.com" }`, 7, "", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var u tolerant.UserRef
			require.NoError(t, json.Unmarshal([]byte(tc.json), &u))
			assert.Equal(t, tc.id, u.ID)
			assert.Equal(t, tc.fullName, u.FullName)
			assert.Equal(t, tc.picture, u.ProfilePic)
			assert.Equal(t, tc.isObject, u.IsObject())

			again, err := u.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tc.json, string(again), "re-encodes exactly as it came")
		})
	}
}

func TestUserRefRejectsOtherShapes(t *testing.T) {
	cases := []struct {
		name string
		json string
		want string
	}{
		{"a string", `"1234"`, `tolerant: user id: want an unsigned integer, got "1234"`},
		{"a fraction", `12.5`, `tolerant: user id: want an unsigned integer, got 12.5`},
		{"a negative number", `-3`, `tolerant: user id: want an unsigned integer`},
		{"too big for an int", `99999999999999999999`, `tolerant: user id: want an unsigned integer`},
		{"an object without an id", `{"full_name":"Ada"}`, `tolerant: user: want an object with an "id"`},
		{"an object with a string id", `{"id":"1234"}`, `tolerant: user id: want an unsigned integer`},
		{"a name that is not a string", `{"id":1,"full_name":5}`, `tolerant: user full_name: want a string or null`},
		{"a picture that is not a string", `{"id":1,"profile_pic":{}}`, `tolerant: user profile_pic: want a string or null`},
		{"true", `true`, `tolerant: user id: want an unsigned integer`},
		{"an array", `[1]`, `tolerant: user id: want an unsigned integer`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var u tolerant.UserRef
			err := json.Unmarshal([]byte(tc.json), &u)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Zero(t, u.ID, "a rejected value leaves the UserRef unset")
		})
	}
}

func TestUserRefNullAndChanges(t *testing.T) {
	var owners struct {
		Users []tolerant.UserRef `json:"users"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"users":[1,null,{"id":2,"full_name":"Bo"}]}`), &owners))
	require.Len(t, owners.Users, 3)
	assert.Zero(t, owners.Users[1], "null leaves an item unset")

	owners.Users[0].ID = 10
	owners.Users[2].FullName = "Bob"
	again, err := json.Marshal(owners)
	require.NoError(t, err)
	assert.Equal(t, `{"users":[10,null,{"id":2,"full_name":"Bob"}]}`, string(again),
		"changed values encode canonically, never as the stale text")

	built, err := json.Marshal(tolerant.UserRef{ID: 5, ProfilePic: "https://example.com/p.png"})
	require.NoError(t, err)
	assert.Equal(t, `{"id":5,"profile_pic":"https://example.com/p.png"}`, string(built))
}
