//go:build !linux

package report

import "errors"

// exchangePaths: only Linux swaps two paths in one step.
func exchangePaths(a, b string) error { return errors.ErrUnsupported }
