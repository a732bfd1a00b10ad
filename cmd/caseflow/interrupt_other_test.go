//go:build !unix

package main

// interruptChild: the interrupt tests (interrupt_test.go) send Unix
// signals, so there is no child to be elsewhere.
func interruptChild() {}
