package web_test

// The contract: every request the tests send to /api/v1 through a test
// server, and the server's answer, are checked against web/api/openapi.json
// (kin-openapi's openapi3filter). A test fails when
//   - the answer does not match the document: an undocumented status, a
//     body that breaks its schema, or a field the schema does not name;
//   - the server takes (2xx) a request the document refuses, or refuses as
//     malformed (400) a request the document accepts;
//   - a request without credentials gets anything but 401;
//   - a path or method the document does not have answers anything but an
//     error 404 or 405.
// TestMain prints how many requests were checked and which operations no
// test exercised.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

const openAPIPath = "api/openapi.json"

// contract holds the document twice: as written, to check requests, and
// closed (every object schema that names its properties takes no others),
// to check that the server sends only documented fields. The document
// itself leaves responses open, so that clients ignore fields added later.
type contract struct {
	doc, closed *openapi3.T
	mux         *http.ServeMux // finds a request's operation as the server's own ServeMux would
	ops         []string       // every operationId
}

type contractRoute struct {
	open, closed *routers.Route
	params       []string
}

// routeMatch is filled by the contract's mux for the request being checked.
type routeMatch struct {
	route  *contractRoute
	params map[string]string
}

type matchKey struct{}

var loadContract = sync.OnceValues(func() (*contract, error) {
	raw, err := os.ReadFile(openAPIPath)
	if err != nil {
		return nil, err
	}
	doc, err := loadOpenAPI(raw)
	if err != nil {
		return nil, err
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, err
	}
	closeObjects(tree)
	closedRaw, err := json.Marshal(tree)
	if err != nil {
		return nil, err
	}
	closed, err := loadOpenAPI(closedRaw)
	if err != nil {
		return nil, fmt.Errorf("closed copy: %w", err)
	}
	c := &contract{doc: doc, closed: closed, mux: http.NewServeMux()}
	param := regexp.MustCompile(`\{([^}]+)\}`)
	for path, item := range doc.Paths.Map() {
		closedItem := closed.Paths.Value(path)
		for method, op := range item.Operations() {
			cr := &contractRoute{
				open:   &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op},
				closed: &routers.Route{Spec: closed, Path: path, PathItem: closedItem, Method: method, Operation: closedItem.GetOperation(method)},
			}
			for _, m := range param.FindAllStringSubmatch(path, -1) {
				cr.params = append(cr.params, m[1])
			}
			c.mux.HandleFunc(method+" /api/v1"+path, func(w http.ResponseWriter, r *http.Request) {
				m := r.Context().Value(matchKey{}).(*routeMatch)
				m.route, m.params = cr, map[string]string{}
				for _, p := range cr.params {
					m.params[p] = r.PathValue(p)
				}
			})
			c.ops = append(c.ops, op.OperationID)
		}
	}
	sort.Strings(c.ops)
	return c, nil
})

// loadOpenAPI loads and validates a document with every check kin-openapi
// has (formats, patterns, defaults, examples).
func loadOpenAPI(raw []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, err
	}
	err = doc.Validate(context.Background(),
		openapi3.EnableSchemaFormatValidation(), openapi3.EnableSchemaPatternValidation(),
		openapi3.EnableSchemaDefaultsValidation(), openapi3.EnableExamplesValidation(),
		openapi3.ProhibitExtensionsWithRef(), openapi3.EnableMultiError())
	if err != nil {
		return nil, fmt.Errorf("%s is not a valid OpenAPI document: %w", openAPIPath, err)
	}
	return doc, nil
}

// closeObjects sets additionalProperties: false on every object schema that
// lists properties and says nothing of others.
func closeObjects(v any) {
	switch v := v.(type) {
	case map[string]any:
		if props, ok := v["properties"].(map[string]any); ok && props != nil {
			if _, set := v["additionalProperties"]; !set {
				v["additionalProperties"] = false
			}
		}
		for _, x := range v {
			closeObjects(x)
		}
	case []any:
		for _, x := range v {
			closeObjects(x)
		}
	}
}

// contractCount is what the contract saw in this run of the tests.
var contractCount struct {
	api, other         atomic.Int64
	refused, anonymous atomic.Int64 // requests the document refuses; of them, without credentials
	mu                 sync.Mutex
	byOp               map[string]int
}

// contractCheck wraps a test server's handler: it checks every /api/v1
// request and its answer, and fails t on a mismatch. The answer is held
// until it is checked, so a failure is reported before the test reads it.
func contractCheck(t testing.TB, next http.Handler) http.Handler {
	c, err := loadContract()
	if err != nil {
		t.Fatalf("contract: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/v1/") {
			contractCount.other.Add(1)
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("contract: reading %s %s: %v", r.Method, r.URL, err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		res := rec.Result()
		resBody := rec.Body.Bytes()
		checked := resBody
		if res.Header.Get("Content-Encoding") == "gzip" {
			// The document describes the answer, not its transfer coding.
			zr, err := gzip.NewReader(bytes.NewReader(resBody))
			if err == nil {
				checked, err = io.ReadAll(zr)
			}
			if err != nil {
				t.Errorf("contract: %s %s: gzip answer: %v", r.Method, r.URL, err)
			}
		}
		if problem := c.check(r, body, res, checked); problem != "" {
			t.Errorf("contract: %s %s (%s)\n  %s\n  answer %d %s", r.Method, r.URL, truncateBytes(body, 300), problem, res.StatusCode, truncateBytes(resBody, 600))
		}
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		w.Write(resBody)
	})
}

func truncateBytes(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// check returns what is wrong with the exchange, or "".
func (c *contract) check(r *http.Request, body []byte, res *http.Response, resBody []byte) string {
	contractCount.api.Add(1)
	m := &routeMatch{}
	probe := httptest.NewRequest(r.Method, r.URL.RequestURI(), nil).WithContext(context.WithValue(context.Background(), matchKey{}, m))
	probe.Host = r.Host
	c.mux.ServeHTTP(httptest.NewRecorder(), probe)
	if m.route == nil {
		// Not in the document: only an error saying so is a right answer.
		if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed {
			return "an operation the document lacks answered " + res.Status
		}
		var e struct {
			Error struct{ Code, Message string }
		}
		if json.Unmarshal(resBody, &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
			return "the answer to an undocumented operation is not the Error body"
		}
		return ""
	}
	op := m.route.open.Operation.OperationID
	contractCount.mu.Lock()
	if contractCount.byOp == nil {
		contractCount.byOp = map[string]int{}
	}
	contractCount.byOp[op]++
	contractCount.mu.Unlock()

	ctx := context.Background()
	req := r.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: m.params, Route: m.route.open,
		Options: &openapi3filter.Options{MultiError: true, RejectWhenRequestBodyNotSpecified: true, AuthenticationFunc: authenticated}}
	reqErr := openapi3filter.ValidateRequest(ctx, in)
	if reqErr != nil {
		contractCount.refused.Add(1)
		if isSecurityError(reqErr) {
			contractCount.anonymous.Add(1)
		}
	}
	var problems []string
	switch {
	case isSecurityError(reqErr):
		if res.StatusCode != http.StatusUnauthorized {
			problems = append(problems, fmt.Sprintf("%s: a request without credentials got %d, not 401", op, res.StatusCode))
		}
	case reqErr != nil && res.StatusCode < 400:
		problems = append(problems, fmt.Sprintf("%s: the server took a request the document refuses: %v", op, reqErr))
	case reqErr == nil && res.StatusCode == http.StatusBadRequest:
		problems = append(problems, op+": the server refused as malformed (400) a request the document accepts")
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: m.params, Route: m.route.closed},
		Status:                 res.StatusCode, Header: res.Header, Body: io.NopCloser(bytes.NewReader(resBody)),
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true, ExcludeResponseBody: r.Method == http.MethodHead},
	}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		problems = append(problems, fmt.Sprintf("%s: the answer breaks the document: %s", op, truncateBytes([]byte(err.Error()), 1500)))
	}
	return strings.Join(problems, "\n  ")
}

// authenticated tells whether the request carries the credentials of a
// security scheme (whether they are valid is the server's business: 401).
func authenticated(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	switch in.SecuritySchemeName {
	case "bearer":
		if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			return nil
		}
	case "session":
		for _, name := range []string{"antq_session", "__Host-antq_session"} {
			if ck, err := r.Cookie(name); err == nil && ck.Value != "" {
				return nil
			}
		}
	}
	return errors.New("no credentials")
}

func isSecurityError(err error) bool {
	if err == nil {
		return false
	}
	var sec *openapi3filter.SecurityRequirementsError
	if errors.As(err, &sec) {
		return true
	}
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			if errors.As(e, &sec) {
				return true
			}
		}
	}
	return false
}

// reportContract prints the run's figures; with ANTQ_TEST_LOG it appends
// them to that file too.
func reportContract() {
	api := contractCount.api.Load()
	if api == 0 {
		return
	}
	c, err := loadContract()
	if err != nil {
		return
	}
	var unexercised []string
	contractCount.mu.Lock()
	for _, op := range c.ops {
		if contractCount.byOp[op] == 0 {
			unexercised = append(unexercised, op)
		}
	}
	exercised := len(c.ops) - len(unexercised)
	contractCount.mu.Unlock()
	line := fmt.Sprintf("contract: %d API requests checked against %s (%d of %d operations exercised; %d the document refuses, %d of them without credentials), %d other requests",
		api, openAPIPath, exercised, len(c.ops), contractCount.refused.Load(), contractCount.anonymous.Load(), contractCount.other.Load())
	if len(unexercised) > 0 && len(unexercised) < len(c.ops) {
		line += "; not exercised: " + strings.Join(unexercised, ", ")
	}
	fmt.Println(line)
	if path := os.Getenv("ANTQ_TEST_LOG"); path != "" {
		if f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintln(f, line)
			f.Close()
		}
	}
}

// The document is valid OpenAPI 3.1 with every check on, every operation
// has an operationId, a summary and a tag, every request body is closed, and
// every error answer is the Error body.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	if c.doc.Info.License == nil || c.doc.Info.License.Name == "" {
		t.Error("info.license is missing")
	}
	seen := map[string]bool{}
	for path, item := range c.doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" || seen[op.OperationID] {
				t.Errorf("%s: operationId %q missing or repeated", where, op.OperationID)
			}
			seen[op.OperationID] = true
			if op.Summary == "" || len(op.Tags) == 0 {
				t.Errorf("%s: no summary or tag", where)
			}
			if op.RequestBody != nil {
				for ct, mt := range op.RequestBody.Value.Content {
					if s := mt.Schema.Value; s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has {
						t.Errorf("%s: the %s body takes undocumented fields (additionalProperties is not false)", where, ct)
					}
				}
			}
			for status, resp := range op.Responses.Map() {
				if status[0] == '2' {
					if status != "204" && len(resp.Value.Content) == 0 {
						t.Errorf("%s: answer %s has no body schema", where, status)
					}
					continue
				}
				if mt := resp.Value.Content.Get("application/json"); mt == nil || mt.Schema.Ref != "#/components/schemas/Error" {
					t.Errorf("%s: answer %s is not the Error body", where, status)
				}
			}
		}
	}
}
