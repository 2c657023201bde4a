// Command hedgeflow evaluates hedging programmes for a pension fund across
// volatility scenarios on NATS JetStream. See the README for usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `hedgeflow: hedge a pension fund across volatility scenarios

Usage:
  hedgeflow run    [flags]   analyse a portfolio across scenarios, write a report
  hedgeflow price            price instruments, one JSON object per line on stdin
  hedgeflow worker [flags]   price partitions from an external NATS JetStream until stopped
  hedgeflow serve  [flags]   run the service: NATS micro services, recalibrator, live dashboard
  hedgeflow feed   [flags]   publish market quotes: synthetic, a file, FRED history, or the ingest bridge
  hedgeflow record [flags]   record the MARKET stream to a JSON Lines file
  hedgeflow replay [flags]   backtest the hedge through historical windows (2008, 2020, 2022)
  hedgeflow help COMMAND     show a command's flags

Run "hedgeflow COMMAND --help" for a command's flags.
`

// command is one subcommand: it parses its own flags from args and returns
// an error to print, or nil.
type command func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error

var commands = map[string]command{
	"run":    runCmd,
	"price":  priceCmd,
	"worker": workerCmd,
	"serve":  serveCmd,
	"feed":   feedCmd,
	"record": recordCmd,
	"replay": replayCmd,
}

// errSilent is returned by a command that has already reported its failure.
var errSilent = errors.New("silent failure")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := realMain(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func realMain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	name := args[0]
	if name == "help" {
		if len(args) < 2 {
			fmt.Fprint(stdout, usage)
			return 0
		}
		name, args = args[1], []string{args[1], "--help"}
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "hedgeflow: error: unknown command %q\n\n%s", name, usage)
		return 2
	}
	err := cmd(ctx, args[1:], stdin, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errSilent):
		return 1
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "hedgeflow %s: error: %v\n", name, err)
		return 2
	default:
		fmt.Fprintf(stderr, "hedgeflow %s: error: %v\n", name, err)
		return 1
	}
}

// errUsage marks errors in the command line itself.
var errUsage = errors.New("usage")

func usageErrorf(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

// newFlagSet returns a flag set that writes its help to stderr and returns
// errors instead of exiting.
// logger logs text to w from level normal, or from level verbose with -v.
func logger(w io.Writer, v bool, normal, verbose slog.Level) *slog.Logger {
	if v {
		normal = verbose
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: normal}))
}

// parseFlags parses a command's flags, refuses positional arguments, and
// returns the names of the flags given.
func parseFlags(fs *flag.FlagSet, args []string) (map[string]bool, error) {
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set, nil
}

func newFlagSet(name, summary string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: hedgeflow %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}
