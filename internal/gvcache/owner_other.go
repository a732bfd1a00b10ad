//go:build !unix

package gvcache

// closed reports false where ownership cannot be checked the Unix way. (On
// Windows os.TempDir is the user's own folder and ignores TMPDIR anyway.)
func closed(string, bool) bool { return false }
