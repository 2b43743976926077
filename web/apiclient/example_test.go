package apiclient_test

import (
	"context"
	"fmt"
	"os"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"antq/web/apiclient"
)

// The README's example: record a registration and read the answer, or the
// reasons it was refused. (Compiled, not run: it needs a server.)
func Example() {
	ctx, token := context.Background(), os.Getenv("ANTQ_TOKEN")
	c, err := apiclient.NewClientWithResponses("http://127.0.0.1:8080/api/v1",
		apiclient.WithRequestEditorFn(apiclient.BearerToken(token)))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := c.PutRegistrationWithResponse(ctx, "binh-phuoc-2023", "25195-KDC01", nil,
		apiclient.RegistrationInput{RegisteredOn: openapi_types.Date{Time: time.Date(2023, 3, 15, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		fmt.Println(err)
		return
	}
	switch {
	case res.JSON200 != nil:
		fmt.Println("registered by", res.JSON200.UpdatedBy)
	case res.JSON422 != nil:
		fmt.Println(res.JSON422.Error.Message, *res.JSON422.Error.Fields) // per-field reasons, in Vietnamese
	}
}
