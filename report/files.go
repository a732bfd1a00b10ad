package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// Output is one file of a report directory.
type Output struct {
	Name  string
	Write func(io.Writer) error
}

// Outputs lists the files of a report directory, in the order they are
// written; docs/report.md describes each.
func (r *Report) Outputs() []Output {
	dot := func(g func() []byte) func(io.Writer) error {
		return func(w io.Writer) error { _, err := w.Write(g()); return err }
	}
	svg := func(g func() []byte) func(io.Writer) error {
		return func(w io.Writer) error { return renderSVG(w, g()) }
	}
	return []Output{
		{"report.json", r.WriteJSON},
		{"report.txt", func(w io.Writer) error { return r.WriteText(w, Style{}) }},
		{"cases.csv", r.writeCases},
		{"variants.csv", func(w io.Writer) error { return writeVariants(w, r.doc.Flows.TopVariants, "steps") }},
		{"paths.csv", func(w io.Writer) error { return writeVariants(w, r.doc.Flows.TopPaths, "path") }},
		{"dfg.csv", r.writeDFG},
		{"handoffs.csv", r.writeHandoffs},
		{"departments.csv", r.writeUnits},
		{"pingpong.csv", r.writePingPong},
		{"boundaries.csv", r.writeBoundaries},
		{"process-map.dot", dot(r.processMap)},
		{"process-map.svg", svg(r.processMap)},
		{"handoffs.dot", dot(r.handoffGraph)},
		{"handoffs.svg", svg(r.handoffGraph)},
	}
}

// WriteFiles writes the outputs into dir, creating it if needed, so that
// a reader never sees a half-written report: every file is first written
// to a temporary file in dir (".NAME.*.tmp"), flushed to disk, and only
// when all are complete are they renamed over the old ones. On a failure
// the temporary files are removed and the old files stay as they were. A
// run killed while writing may leave temporary files behind, never a
// damaged report; a failing rename (rare: dir is on one file system) may
// leave a mix of old and new files, and says so.
func WriteFiles(dir string, outs []Output) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report directory: %w", err)
	}
	// The files are independent, so they are written in parallel (the
	// large cases.csv alongside all the others, and each file's fsync
	// overlapping the next one's writing); on failure the first failing
	// file in list order is reported, whatever finished first.
	temps := make([]string, len(outs))
	errs := make([]error, len(outs))
	defer func() {
		if err != nil {
			for _, t := range temps {
				if t != "" {
					os.Remove(t)
				}
			}
		}
	}()
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, o := range outs {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			temps[i], errs[i] = writeTemp(dir, o)
		})
	}
	wg.Wait()
	for i, o := range outs {
		if errs[i] != nil {
			return fmt.Errorf("writing %s: %w; the previous report in %s is untouched", filepath.Join(dir, o.Name), errs[i], dir)
		}
	}
	for i, o := range outs {
		if err := os.Rename(temps[i], filepath.Join(dir, o.Name)); err != nil {
			temps = temps[i:]
			return fmt.Errorf("replacing %s: %w; %d of %d files in %s are new", o.Name, err, i, len(outs), dir)
		}
	}
	return nil
}

// writeTemp writes one output to a temporary file and returns its name,
// which is "" only if it could not be created.
func writeTemp(dir string, o Output) (string, error) {
	f, err := os.CreateTemp(dir, "."+o.Name+".*.tmp")
	if err != nil {
		return "", err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	err = o.Write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Chmod(0o644) // CreateTemp makes 0600; reports are read by other tools
	}
	if err == nil {
		err = f.Sync()
	}
	return f.Name(), errors.Join(err, f.Close())
}
