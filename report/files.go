package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/caseflow/caseflow/internal/atomicfile"
)

// Output is one file of a report directory.
type Output struct {
	Name  string
	Write func(io.Writer) error
}

// Outputs lists the files of a report directory, in the order they are
// written; docs/report.md describes each.
func (r *Report) Outputs() []Output {
	file := func(g func() graph, as func(graph) []byte) func(io.Writer) error {
		return func(w io.Writer) error { _, err := w.Write(as(g())); return err }
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
		{"repeats.csv", r.writeRepeats},
		{"spikes.csv", r.writeSpikes},
		{"process-map.dot", file(r.processMap, graph.dot)},
		{"process-map.svg", file(r.processMap, graph.svg)},
		{"handoffs.dot", file(r.handoffGraph, graph.dot)},
		{"handoffs.svg", file(r.handoffGraph, graph.svg)},
	}
}

// A report folder is switched as a whole: the new report is written into
// a fresh sibling folder, ".DIR.caseflow-new-*", and then exchanged with
// DIR in one step (renameat2 RENAME_EXCHANGE on Linux), so DIR is always
// one whole report, old or new, and keeps being a real folder at its
// documented path. Where the file system cannot exchange (some network
// file systems, other systems), DIR is renamed aside to
// ".DIR.caseflow-old-*" and the new folder renamed in: between these two
// renames DIR is missing, and the next run puts the old one back. A lock
// file beside DIR, ".DIR.caseflow-lock", keeps a second run out while one
// holds it; under the lock, what killed runs left beside DIR is removed.
const (
	newSuffix  = ".caseflow-new-"
	oldSuffix  = ".caseflow-old-"
	lockSuffix = ".caseflow-lock"
)

// Dir is a report folder locked by this run, from OpenDir to Close.
type Dir struct {
	path, parent, base string
	name               string // as the user gave it, for messages: no absolute path
	lock               *os.File
}

// ErrLocked is returned by OpenDir when another run holds the folder.
var ErrLocked = errors.New("locked")

// OpenDir locks the report folder dir (which need not exist) against other
// caseflow runs, and then tidies what killed runs left: a DIR moved aside
// and not put back is restored, and caseflow's own temporary folders
// beside DIR are removed. When another run holds the lock, it fails at
// once with an error wrapping ErrLocked and naming that run's process id.
// A symbolic link as dir is followed: the folder it points to is replaced.
func OpenDir(dir string) (*Dir, error) {
	path, err := filepath.Abs(dir)
	if err == nil {
		// A link is followed, so the link itself stays.
		if p, lerr := filepath.EvalSymlinks(path); lerr == nil {
			path = p
		}
	}
	if err != nil {
		return nil, fmt.Errorf("report folder %s: %w", dir, err)
	}
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("report folder %s is a file, not a folder; name a new or empty folder", dir)
	}
	d := &Dir{path: path, parent: filepath.Dir(path), base: filepath.Base(path), name: dir}
	if d.parent == path {
		return nil, fmt.Errorf("report folder %s: a file system's root cannot be replaced; name a folder in it", dir)
	}
	if err := os.MkdirAll(d.parent, 0o755); err != nil {
		return nil, fmt.Errorf("report folder: %w", err)
	}
	if d.lock, err = lockFile(filepath.Join(d.parent, "."+d.base+lockSuffix)); err != nil {
		return nil, fmt.Errorf("report folder %s: %w", dir, err)
	}
	if err := d.tidy(); err != nil {
		d.Close()
		return nil, fmt.Errorf("report folder %s: %w", dir, err)
	}
	return d, nil
}

// Close releases the lock. The lock file stays, as removing it would let
// a run waiting on the old file and one making a new file both proceed.
func (d *Dir) Close() error { return d.lock.Close() }

// tidy restores a DIR moved aside by a run killed between the two renames
// of the fallback, then removes caseflow's temporary folders beside DIR.
// Only names with caseflow's own pattern for this DIR are touched.
func (d *Dir) tidy() error {
	olds, _ := filepath.Glob(filepath.Join(d.parent, "."+globEscape(d.base)+oldSuffix+"*"))
	if _, err := os.Lstat(d.path); errors.Is(err, fs.ErrNotExist) && len(olds) > 0 {
		if err := os.Rename(olds[0], d.path); err != nil {
			return fmt.Errorf("putting back the previous report %s: %w", olds[0], err)
		}
		olds = olds[1:]
	}
	news, _ := filepath.Glob(filepath.Join(d.parent, "."+globEscape(d.base)+newSuffix+"*"))
	for _, p := range append(olds, news...) {
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("removing %s left by a killed run: %w", p, err)
		}
	}
	return nil
}

func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(s)
}

// swapStep is called before each step of the switch with the step's name;
// tests make it fail to stand for a run killed just there (nothing after
// it runs, not even the clean-up).
var swapStep = func(string) error { return nil }

// exchange swaps two paths in one step (exchange_linux.go); elsewhere, or
// on a file system that cannot, it returns errors.ErrUnsupported.
var exchange = exchangePaths

// Write replaces the report in the folder with outs, as one step: a
// reader sees the whole previous report or the whole new one. The files
// are written and flushed to disk in a new folder beside DIR, which is
// then exchanged with DIR (see the comment on the suffixes above). DIR may
// hold only files caseflow writes there (the outputs, and the ".NAME.*.tmp"
// files of earlier versions), since the whole folder is replaced; another
// file is refused, before anything is written. On a failure the new folder
// is removed and DIR stays as it was. Making the new folder, the switch
// and removing the old one are steps (atomicfile.Step): a run ending at
// once (an interrupt) ends between them, never inside the switch, and
// the new folder, or the old one after the switch, is removed then
// (atomicfile.Finish).
func (d *Dir) Write(outs []Output) (err error) {
	if err := d.checkOwn(outs); err != nil {
		return err
	}
	var tmp string
	err = atomicfile.Step(func(t *atomicfile.Temps) (err error) {
		if tmp, err = os.MkdirTemp(d.parent, "."+d.base+newSuffix+"*"); err == nil {
			t.Made(tmp)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("report folder: %w", err)
	}
	killed := false
	defer func() {
		if err != nil && !killed {
			removeTemp(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes 0700; reports are read by other tools
		return err
	}
	if err := writeAll(tmp, outs); err != nil {
		return fmt.Errorf("%w; the previous report in %s is untouched", err, d.path)
	}
	if err := syncDir(tmp); err != nil {
		return err
	}
	step := func(name string) bool {
		if e := swapStep(name); e != nil {
			err, killed = e, true
		}
		return killed
	}
	old := "" // the folder holding the previous report after the switch
	if serr := atomicfile.Step(func(t *atomicfile.Temps) error {
		if step("swap") {
			return err
		}
		if _, serr := os.Lstat(d.path); errors.Is(serr, fs.ErrNotExist) {
			if err := os.Rename(tmp, d.path); err != nil {
				return fmt.Errorf("report folder: %w", err)
			}
			t.Gone(tmp)
			t.Placed(d.name)
			return nil
		}
		old = tmp // after the exchange, tmp holds the previous report
		if xerr := exchange(tmp, d.path); errors.Is(xerr, errors.ErrUnsupported) {
			old = filepath.Join(d.parent, "."+d.base+oldSuffix+strings.TrimPrefix(filepath.Base(tmp), "."+d.base+newSuffix))
			if err := os.Rename(d.path, old); err != nil {
				return fmt.Errorf("moving the previous report aside: %w", err)
			}
			if step("rename new") {
				return err
			}
			if err := os.Rename(tmp, d.path); err != nil {
				// old is not made a temporary: it is the only copy.
				return fmt.Errorf("renaming the new report into place: %w; the previous one is %s, and the next run puts it back", err, old)
			}
			t.Gone(tmp)
			t.Made(old)
		} else if xerr != nil {
			return fmt.Errorf("replacing the report: %w", xerr)
		}
		t.Placed(d.name)
		return nil
	}); serr != nil {
		return serr
	}
	if old != "" && step("remove old") {
		return err
	}
	if err := syncDir(d.parent); err != nil {
		return err
	}
	if old != "" {
		// The new report is in place: the previous one's removal failing
		// only leaves a folder the next run removes.
		removeTemp(old)
	}
	return nil
}

// removeTemp removes the temporary folder path, in a step.
func removeTemp(path string) {
	atomicfile.Step(func(t *atomicfile.Temps) error {
		t.Gone(path)
		return os.RemoveAll(path)
	})
}

// checkOwn refuses a DIR holding anything caseflow does not write there.
func (d *Dir) checkOwn(outs []Output) error {
	entries, err := os.ReadDir(d.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("report folder: %w", err)
	}
	own := map[string]bool{}
	for _, o := range outs {
		own[o.Name] = true
	}
	var foreign []string
	for _, e := range entries {
		n := e.Name()
		oldTemp := strings.HasPrefix(n, ".") && strings.HasSuffix(n, ".tmp")
		if !e.Type().IsRegular() || !own[n] && !oldTemp {
			foreign = append(foreign, n)
		}
	}
	if len(foreign) > 0 {
		if len(foreign) > 3 {
			foreign = append(foreign[:3], "…")
		}
		return fmt.Errorf("%s holds %s, which caseflow did not write; as the whole folder is replaced, name a new or empty folder with --out", d.path, strings.Join(foreign, ", "))
	}
	return nil
}

// writeAll writes the outputs into the new folder dir. The files are
// independent, so they are written in parallel (the large cases.csv
// alongside all the others, and each file's fsync overlapping the next
// one's writing); on failure the first failing file in list order is
// reported, whatever finished first.
func writeAll(dir string, outs []Output) error {
	errs := make([]error, len(outs))
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, o := range outs {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			errs[i] = writeOne(filepath.Join(dir, o.Name), o)
		})
	}
	wg.Wait()
	for i, o := range outs {
		if errs[i] != nil {
			return fmt.Errorf("writing %s: %w", o.Name, errs[i])
		}
	}
	return nil
}

// WriteFile writes one output to path, creating its folder if needed,
// through a temporary file beside it, renamed over path once complete and
// flushed: a reader sees the whole old file or the whole new one. On a
// failure the temporary file is removed.
func WriteFile(path string, o Output) error {
	// In a step, so that no folder is made after an interrupt ended the run.
	if err := atomicfile.Step(func(*atomicfile.Temps) error { return os.MkdirAll(filepath.Dir(path), 0o755) }); err != nil {
		return err
	}
	return atomicfile.Write(path, o.Write)
}

// writeOne writes o to path in the new folder. The file is made in a
// step, so that none is made in the folder after Finish removed it.
func writeOne(path string, o Output) error {
	var f *os.File
	err := atomicfile.Step(func(*atomicfile.Temps) (err error) {
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		return err
	})
	if err != nil {
		return err
	}
	return writeTo(f, o)
}

// writeTo writes o to f, flushes it to disk and closes it.
func writeTo(f *os.File, o Output) error {
	bw := bufio.NewWriterSize(f, 1<<16)
	err := o.Write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Chmod(0o644) // whatever the umask: reports are read by other tools
	}
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// syncDir flushes a folder's entries to disk, so a rename survives a
// crash of the machine.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}
