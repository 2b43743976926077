package apiclient

import (
	"context"
	"net/http"
)

// BearerToken authenticates every request with an API token (antq token
// create, or POST /tokens): pass it to NewClient or NewClientWithResponses
// as WithRequestEditorFn(BearerToken(token)).
func BearerToken(token string) RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}
