package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/hedgeflow/hedgeflow/pricing/batch"
)

func priceCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("price", "Reads one JSON request per line on stdin and writes one JSON result per line\n"+
		"on stdout, in the same order. Kinds: "+strings.Join(batch.Kinds(), ", ")+".\n"+
		"A line that fails gets {\"error\": ...}; the exit code is then 1.", stderr)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	in := bufio.NewReaderSize(stdin, 1<<16)
	out := bufio.NewWriterSize(stdout, 1<<16)
	failed := 0
	for n := 1; ; n++ {
		line, err := in.ReadBytes('\n')
		if len(strings.TrimSpace(string(line))) > 0 {
			res, ok := batch.Price(line)
			if !ok {
				failed++
			}
			out.Write(res)
			out.WriteByte('\n')
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			out.Flush()
			return fmt.Errorf("reading stdin line %d: %w", n, err)
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("writing stdout: %w", err)
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "hedgeflow price: %d line(s) failed\n", failed)
		return errSilent
	}
	return nil
}
