//go:build !linux

package spill

import (
	"errors"
	"os"
)

// Elsewhere slices stay on the heap: Make finds no file to map.
const canPageOut = false

var errNoMapping = errors.New("file-backed memory is built for Linux only")

func unnamed(string) (*os.File, error)    { return nil, errNoMapping }
func mapFile(string, int) ([]byte, error) { return nil, errNoMapping }
func unmap([]byte) error                  { return nil }
func pageOut([]byte) int64                { return 0 }
func resident() int64                     { return 0 }
