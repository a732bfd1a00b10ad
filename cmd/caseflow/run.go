package main

import (
	"fmt"
	"io"
)

// Exit codes shared by every command.
const (
	exitOK    = 0
	exitData  = 1 // unreadable input or a processing failure
	exitUsage = 2 // wrong flags or arguments
)

const usage = `caseflow mines contact-centre and service-desk event logs: where cases
bounce between departments (ping-pong), where they wait at department
borders (silos), and which take too long.

usage: caseflow <command> [flags] [FILE...]

Commands:
  analyze    find ping-pong, silos and long lead times (on a built-in sample when no FILE is given)
  inspect    show how an export is read: mapping, timestamps, counts, rejects
  generate   write a synthetic contact-centre log with known, planted findings
  convert    convert event logs between CSV, XES, Parquet and Arrow IPC

Run 'caseflow <command> --help' for a command's flags.
`

// run is the whole program, minus the exit: main calls it with the real
// streams, tests with buffers.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "analyze", "analyse":
		return runAnalyze(args[1:], stdin, stdout, stderr)
	case "inspect":
		return runInspect(args[1:], stdin, stdout, stderr)
	case "convert":
		return runConvert(args[1:], stdin, stdout, stderr)
	case "generate":
		return runGenerate(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "caseflow: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// usageError reports a usage error for a command, exit 2.
func usageError(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "caseflow %s: %v\nRun 'caseflow %s --help' for usage.\n", cmd, err, cmd)
	return exitUsage
}
