// Command caseflow mines contact-centre and service-desk event logs for
// ping-pong, silos and long lead times.
package main

import (
	"os"
	_ "time/tzdata" // --timezone works on machines without a zone database
)

func main() {
	os.Exit(interruptible(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, catchInterrupts())) // interrupt.go
}
