package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/pflag"
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
  history    list the runs kept by analyze --history, or one metric's series
  version    show caseflow's version and the commit it was built from

Run 'caseflow help <command>' (or 'caseflow <command> --help') for a
command's flags.
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
	case "history":
		return runHistory(args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, version())
		return exitOK
	case "help", "-h", "--help":
		if len(args) > 1 {
			return run([]string{args[1], "--help"}, stdin, stdout, stderr)
		}
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

// version is caseflow's version as the Go tool recorded it in the binary
// (runtime/debug.ReadBuildInfo): the module version (v1.2.0 when installed
// with go install …@v1.2.0; in a git checkout a pseudo-version ending in
// +dirty when it had changes; "(devel)" when built with -buildvcs=false),
// the commit it was built from when recorded, and the Go version.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "caseflow (built without version information)"
	}
	return "caseflow " + buildVersion() + ", " + info.GoVersion
}

// buildVersion is the module version and, when recorded, the commit, as
// the reports name their maker: "(devel)" or "v1.2.0, commit 0123456789ab".
// The Go version is left out so that a toolchain update alone does not
// change a report.
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" {
			v += ", commit " + s.Value[:min(len(s.Value), 12)]
		}
	}
	return v
}

// flagUsages is the flag list of a command's help, with boolean flags
// shown as --quiet rather than pflag's --quiet[=true|false]: they are
// given without a value.
func flagUsages(fs *pflag.FlagSet) string {
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Value.Type() == "bool" {
			f.Value = plainBool{f.Value}
		}
	})
	return fs.FlagUsages()
}

// plainBool is a boolean flag's value without IsBoolFlag, which is what
// makes pflag print [=true|false]; NoOptDefVal ("true") still lets the flag
// be given alone.
type plainBool struct{ pflag.Value }
