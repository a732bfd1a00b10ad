// Command caseflow mines contact-centre and service-desk event logs for
// ping-pong, silos and long lead times.
package main

import (
	"io"
	"os"
	_ "time/tzdata" // --timezone works on machines without a zone database

	"github.com/caseflow/caseflow/internal/atomicfile"
)

func main() {
	program := func(stdin io.Reader, stdout, stderr io.Writer) int { return run(os.Args[1:], stdin, stdout, stderr) }
	os.Exit(interruptible(program, os.Stdin, os.Stdout, os.Stderr, catchInterrupts(), atomicfile.Finish)) // interrupt.go
}
