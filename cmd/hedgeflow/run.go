package main

import (
	"context"
	"errors"
	"io"
)

func runCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return errors.New("run: not built yet")
}
