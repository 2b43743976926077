package main

import (
	"context"
	"errors"
	"io"
)

func cmdDrill(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("not yet")
}
