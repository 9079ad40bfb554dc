// Command nianbao crawls Chinese government portals for their 政府信息公开工作年度报告,
// extracts tables 二, 三 and 四 into cells, loads them into DuckDB and flags
// reports whose totals do not balance. Run `nianbao help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses (style.md §8).
const (
	exitOK      = 0
	exitError   = 1
	exitUsage   = 2
	exitFlagged = 3
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runAs(ctx, os.Args[0], os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line; tests call it in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runAs(ctx, "", args, stdin, stdout, stderr)
}

// runAs is run for a program started as argv0 (os.Args[0]).
func runAs(ctx context.Context, argv0 string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(&env{argv0: argv0, stdin: stdin, stdout: stdout, stderr: stderr})
	root.SetArgs(sqlQueryArgs(args))
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var fe *flaggedError
	if errors.As(err, &fe) {
		return exitFlagged
	}
	fmt.Fprintf(stderr, "Error: %v\n", err)
	var ue *usageError
	if errors.As(err, &ue) {
		if ue.hint != "" {
			fmt.Fprintf(stderr, "Try: %s\n", ue.hint)
		}
		return exitUsage
	}
	var he interface{ Hint() string }
	if errors.As(err, &he) && he.Hint() != "" {
		fmt.Fprintf(stderr, "Try: %s\n", he.Hint())
	}
	return exitError
}

// usageError is a mistake on the command line (exit 2).
type usageError struct {
	err  error
	hint string
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(hint, format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...), hint: hint}
}

// flaggedError makes `check --fail-on-flag` exit 3 after printing its table.
type flaggedError struct{ n int }

func (e *flaggedError) Error() string { return fmt.Sprintf("%d check failures", e.n) }
