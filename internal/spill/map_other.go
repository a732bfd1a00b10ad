//go:build !linux

package spill

import "os"

// Elsewhere slices stay on the heap: Make maps no file, and Err says so.
const mappable = false

var errUnnamed = errNoMapping

func unnamed(string) (*os.File, error)        { return nil, errNoMapping }
func reserve(*os.File, int64, int64) error    { return errNoMapping }
func isFull(error) bool                       { return false }
func isUnsupported(error) bool                { return false }
func mapShared(*os.File, int) ([]byte, error) { return nil, errNoMapping }
func remap([]byte, int) ([]byte, error)       { return nil, errNoMapping }
func unmap([]byte) error                      { return nil }
func pageOut([]byte) error                    { return errNoMapping }
func writeBack(*os.File, int64)               {}
func resident() int64                         { return 0 }
func inMemoryFS(string) bool                  { return false }
func openFileLimit() int                      { return 0 }
