package history

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/caseflow/caseflow/internal/atomicfile"
)

// Format names the layout of a store; a reader refuses any other.
const Format = "caseflow.history/v1"

// Manifest is the file in a store's folder that names its Format.
const Manifest = "caseflow-history.json"

// MaxSamples is the most durations a metric keeps (see Subsample).
const MaxSamples = 100_000

// formatKey is the Parquet key-value metadata naming each file's format,
// so a file copied out of its folder still says what it is.
const formatKey = "caseflow.history.format"

// Kind is what a metric's figures are, and so how it is compared.
type Kind string

const (
	Rate      Kind = "rate"      // Num of Den; Value = Num/Den
	Durations Kind = "durations" // Samples in ms; Value = the median in seconds
	Quantile  Kind = "quantile"  // the Q-quantile of metric Of's Samples; Value in seconds
	Value     Kind = "value"     // kept for the trend, never tested
)

// Metric is one headline figure of a run. Higher is worse for every
// metric unless HigherBetter.
type Metric struct {
	Name  string
	Kind  Kind
	Value float64
	// N is the sample size: Den for a rate, the number of durations
	// measured (before Subsample), the handoffs behind a value.
	N            int64
	Num, Den     int64
	Q            float64 // Quantile: which
	Of           string  // Quantile: the Durations metric whose samples it reads
	Samples      []int64 // Durations: ascending, ms, at most MaxSamples
	HigherBetter bool
	// Changed and Worse say what Compare found when the run was made:
	// a significant change against the runs before it, and one for the
	// worse; for the trend charts.
	Changed, Worse bool
}

// Input is one input file: its name without folders, size and rows.
type Input struct {
	Name       string
	Size, Rows int64
}

// Run is one run of caseflow analyze.
type Run struct {
	// ID is the run's file name without .parquet, set by Append.
	ID          string
	Time        time.Time
	Version     string
	Inputs      []Input
	OptionsHash string
	// From and To are the log's first and last event; zero for an empty log.
	From, To time.Time
	Metrics  []Metric
}

// Metric returns the run's metric of that name, or nil.
func (r *Run) Metric(name string) *Metric {
	for i := range r.Metrics {
		if r.Metrics[i].Name == name {
			return &r.Metrics[i]
		}
	}
	return nil
}

// Subsample returns ascending x when it has at most MaxSamples values, else
// MaxSamples of its order statistics at evenly spaced ranks, the first and
// last included: a deterministic sample that keeps the distribution's
// shape.
func Subsample(x []int64) []int64 {
	n := len(x)
	if n <= MaxSamples {
		return x
	}
	out := make([]int64, MaxSamples)
	for i := range out {
		out[i] = x[int(int64(i)*int64(n-1)/(MaxSamples-1))]
	}
	return out
}

// Store is an opened history folder with its runs, oldest first.
type Store struct {
	dir  string
	mem  memory.Allocator
	runs []Run
}

// Open reads the store in dir. A folder that does not exist, or holds
// neither a manifest nor run files, is an empty store (Append creates it);
// a newer or unknown format, or a run file that cannot be read, is an
// error naming the file. mem allocates the Arrow buffers of reading and
// writing; nil is the default allocator.
func Open(dir string, mem memory.Allocator) (*Store, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	s := &Store{dir: dir, mem: mem}
	names, err := s.files()
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	manifest := filepath.Join(dir, Manifest)
	data, err := os.ReadFile(manifest)
	switch {
	case errors.Is(err, fs.ErrNotExist) && len(names) == 0:
		return s, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: missing, yet the folder holds %d run files: this is not a caseflow history, or its manifest was lost; give --history a new folder, or restore %s", manifest, len(names), Manifest)
	case err != nil:
		return nil, err
	}
	var m struct{ Format string }
	if err := json.Unmarshal(data, &m); err != nil || m.Format == "" {
		return nil, fmt.Errorf("%s: not a caseflow history manifest (want {\"format\": %q}); restore it, or give --history a new folder", manifest, Format)
	}
	if err := checkFormat(manifest, m.Format); err != nil {
		return nil, err
	}
	for _, name := range names {
		r, err := s.read(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, name), err)
		}
		s.runs = append(s.runs, r)
	}
	return s, nil
}

func checkFormat(where, f string) error {
	if f == Format {
		return nil
	}
	if strings.HasPrefix(f, "caseflow.history/") {
		return fmt.Errorf("%s: format %s, and this caseflow reads only %s: it was written by a newer caseflow; run that one, or give --history a new folder", where, f, Format)
	}
	return fmt.Errorf("%s: format %q is not a caseflow history; give --history a new folder", where, f)
}

// Runs are the stored runs, oldest first (by time, then ID).
func (s *Store) Runs() []Run { return s.runs }

// Dir is the store's folder.
func (s *Store) Dir() string { return s.dir }

// files lists the run files, in name order, which is time order.
func (s *Store) files() ([]string, error) {
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if n := e.Name(); strings.HasPrefix(n, "run-") && strings.HasSuffix(n, ".parquet") && e.Type().IsRegular() {
			out = append(out, n)
		}
	}
	return out, nil
}

// failPoint, when set by a test, is called while a file is being written,
// before it is renamed into place: a kill then leaves a temporary file
// that no reader takes for a run.
var failPoint func(path string) error

// Append writes r as a new run file and adds it to the store, setting its
// ID. The file appears whole or not at all.
func (s *Store) Append(r *Run) error {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	if err := s.writeManifest(); err != nil {
		return err
	}
	s.tidy()
	// Named by time, so that name order is time order, and by a hash of
	// what was measured, so that two runs in one nanosecond do not clash.
	id := fmt.Appendf(nil, "%s %s %v", r.Version, r.OptionsHash, r.Inputs)
	for _, m := range r.Metrics {
		id = fmt.Appendf(id, " %s=%v/%d", m.Name, m.Value, m.N)
	}
	sum := sha256.Sum256(id)
	r.ID = "run-" + r.Time.UTC().Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(sum[:4])
	var buf bytes.Buffer
	if err := s.encode(&buf, r); err != nil {
		return fmt.Errorf("history: writing the run: %w", err)
	}
	final := filepath.Join(s.dir, r.ID+".parquet")
	if err := writeAtomic(final, buf.Bytes()); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	s.runs = append(s.runs, *r)
	return nil
}

// writeManifest writes the manifest unless it is there (Open checked it).
func (s *Store) writeManifest() error {
	path := filepath.Join(s.dir, Manifest)
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	data, _ := json.Marshal(map[string]string{"format": Format})
	if err := writeAtomic(path, append(data, '\n')); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return nil
}

// writeAtomic writes data to path through atomicfile: a hidden temporary
// file beside it, synced and renamed, so that path holds all of data or
// does not change. failPoint, in a test, runs once data is handed over.
func writeAtomic(path string, data []byte) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		if _, err := w.Write(data); err != nil {
			return err
		}
		if failPoint != nil {
			return failPoint(path)
		}
		return nil
	})
}

// tidy removes temporary files left by killed runs (atomicfile names them
// "." + the file's name + digits); only those an hour old, as a younger
// one may be another run's, being written.
func (s *Store) tidy() {
	ents, _ := os.ReadDir(s.dir)
	for _, e := range ents {
		if n := e.Name(); !strings.HasPrefix(n, ".run-") && !strings.HasPrefix(n, "."+Manifest) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
			os.Remove(filepath.Join(s.dir, e.Name()))
		}
	}
}

// schema is a run file's layout: one row per metric, the run's own
// fields repeated on each (dictionary-encoded, they cost next to nothing),
// so that a query needs no join.
var schema = arrow.NewSchema([]arrow.Field{
	{Name: "run", Type: arrow.BinaryTypes.String},
	{Name: "time", Type: &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}},
	{Name: "caseflow", Type: arrow.BinaryTypes.String},
	{Name: "options_hash", Type: arrow.BinaryTypes.String},
	{Name: "inputs", Type: arrow.ListOf(arrow.StructOf(
		arrow.Field{Name: "name", Type: arrow.BinaryTypes.String},
		arrow.Field{Name: "size", Type: arrow.PrimitiveTypes.Int64},
		arrow.Field{Name: "rows", Type: arrow.PrimitiveTypes.Int64}))},
	{Name: "log_from", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	{Name: "log_to", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	{Name: "metric", Type: arrow.BinaryTypes.String},
	{Name: "kind", Type: arrow.BinaryTypes.String},
	{Name: "value", Type: arrow.PrimitiveTypes.Float64},
	{Name: "n", Type: arrow.PrimitiveTypes.Int64},
	{Name: "num", Type: arrow.PrimitiveTypes.Int64},
	{Name: "den", Type: arrow.PrimitiveTypes.Int64},
	{Name: "quantile", Type: arrow.PrimitiveTypes.Float64},
	{Name: "of", Type: arrow.BinaryTypes.String},
	{Name: "samples_ms", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64)},
	{Name: "higher_better", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "changed", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "worse", Type: arrow.FixedWidthTypes.Boolean},
}, nil)

// Columns of schema, by position.
const (
	cRun = iota
	cTime
	cVersion
	cOptions
	cInputs
	cFrom
	cTo
	cMetric
	cKind
	cValue
	cN
	cNum
	cDen
	cQ
	cOf
	cSamples
	cBetter
	cChanged
	cWorse
)

// samplesPath is the Parquet column path of the samples' values.
const samplesPath = "samples_ms.list.element"

// encode writes r's Parquet file to buf.
func (s *Store) encode(buf *bytes.Buffer, r *Run) error {
	b := array.NewRecordBuilder(s.mem, schema)
	defer b.Release()
	for _, m := range r.Metrics {
		b.Field(cRun).(*array.StringBuilder).Append(r.ID)
		b.Field(cTime).(*array.TimestampBuilder).Append(arrow.Timestamp(r.Time.UnixNano()))
		b.Field(cVersion).(*array.StringBuilder).Append(r.Version)
		b.Field(cOptions).(*array.StringBuilder).Append(r.OptionsHash)
		lb := b.Field(cInputs).(*array.ListBuilder)
		lb.Append(true)
		sb := lb.ValueBuilder().(*array.StructBuilder)
		for _, in := range r.Inputs {
			sb.Append(true)
			sb.FieldBuilder(0).(*array.StringBuilder).Append(in.Name)
			sb.FieldBuilder(1).(*array.Int64Builder).Append(in.Size)
			sb.FieldBuilder(2).(*array.Int64Builder).Append(in.Rows)
		}
		for i, t := range []time.Time{r.From, r.To} {
			tb := b.Field(cFrom + i).(*array.TimestampBuilder)
			if t.IsZero() {
				tb.AppendNull()
			} else {
				tb.Append(arrow.Timestamp(t.UnixMicro()))
			}
		}
		b.Field(cMetric).(*array.StringBuilder).Append(m.Name)
		b.Field(cKind).(*array.StringBuilder).Append(string(m.Kind))
		b.Field(cValue).(*array.Float64Builder).Append(m.Value)
		b.Field(cN).(*array.Int64Builder).Append(m.N)
		b.Field(cNum).(*array.Int64Builder).Append(m.Num)
		b.Field(cDen).(*array.Int64Builder).Append(m.Den)
		b.Field(cQ).(*array.Float64Builder).Append(m.Q)
		b.Field(cOf).(*array.StringBuilder).Append(m.Of)
		sl := b.Field(cSamples).(*array.ListBuilder)
		sl.Append(true)
		sl.ValueBuilder().(*array.Int64Builder).AppendValues(m.Samples, nil)
		b.Field(cBetter).(*array.BooleanBuilder).Append(m.HigherBetter)
		b.Field(cChanged).(*array.BooleanBuilder).Append(m.Changed)
		b.Field(cWorse).(*array.BooleanBuilder).Append(m.Worse)
	}
	rec := b.NewRecord()
	defer rec.Release()
	// Snappy, but zstd for the samples, the bulk of the file: zstd's
	// encoder costs more to set up per column than the other columns take
	// to write. (Delta encoding would halve the samples again, but Arrow
	// v17 cannot read it back in a list with empty entries.)
	props := parquet.NewWriterProperties(parquet.WithAllocator(s.mem), parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithCompressionFor(samplesPath, compress.Codecs.Zstd),
		parquet.WithDictionaryDefault(true), parquet.WithDictionaryFor(samplesPath, false))
	meta := arrow.NewMetadata([]string{formatKey}, []string{Format})
	w, err := pqarrow.NewFileWriter(arrow.NewSchema(schema.Fields(), &meta), buf, props,
		pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(s.mem), pqarrow.WithStoreSchema()))
	if err != nil {
		return err
	}
	if err := w.Write(rec); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// read reads one run file.
func (s *Store) read(name string) (Run, error) {
	path := filepath.Join(s.dir, name)
	mem := s.mem
	f, err := file.OpenParquetFile(path, false, file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		return Run{}, fmt.Errorf("not a readable run file (%v); move it out of the folder (the other runs are kept)", err)
	}
	defer f.Close()
	if v := f.MetaData().KeyValueMetadata().FindValue(formatKey); v == nil {
		return Run{}, fmt.Errorf("names no %s: not a caseflow run file; move it out of the folder", formatKey)
	} else if err := checkFormat("its "+formatKey, *v); err != nil {
		return Run{}, err
	}
	fr, err := pqarrow.NewFileReader(f, pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		return Run{}, fmt.Errorf("unreadable (%v); move it out of the folder", err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		return Run{}, fmt.Errorf("unreadable (%v); move it out of the folder", err)
	}
	defer tbl.Release()
	if !sameColumns(tbl.Schema()) {
		return Run{}, fmt.Errorf("its columns are not those of %s; move it out of the folder", Format)
	}
	r := Run{ID: strings.TrimSuffix(name, ".parquet")}
	tr := array.NewTableReader(tbl, -1)
	defer tr.Release()
	for tr.Next() {
		decode(tr.Record(), &r)
	}
	if len(r.Metrics) == 0 {
		return Run{}, errors.New("holds no metric; move it out of the folder")
	}
	return r, nil
}

// sameColumns reports whether s has schema's columns (names and types;
// Parquet adds field metadata of its own).
func sameColumns(s *arrow.Schema) bool {
	if s.NumFields() != schema.NumFields() {
		return false
	}
	for i, f := range schema.Fields() {
		if g := s.Field(i); g.Name != f.Name || !arrow.TypeEqual(g.Type, f.Type) {
			return false
		}
	}
	return true
}

// decode adds rec's rows to r; the run's own fields come from its first row.
func decode(rec arrow.Record, r *Run) {
	col := rec.Columns()
	str := func(c, i int) string { return col[c].(*array.String).Value(i) }
	i64 := func(c, i int) int64 { return col[c].(*array.Int64).Value(i) }
	f64 := func(c, i int) float64 { return col[c].(*array.Float64).Value(i) }
	for i := range int(rec.NumRows()) {
		if len(r.Metrics) == 0 {
			r.Time = time.Unix(0, int64(col[cTime].(*array.Timestamp).Value(i))).UTC()
			r.Version, r.OptionsHash = str(cVersion, i), str(cOptions, i)
			ins := col[cInputs].(*array.List)
			st := ins.ListValues().(*array.Struct)
			lo, hi := ins.ValueOffsets(i)
			for j := int(lo); j < int(hi); j++ {
				r.Inputs = append(r.Inputs, Input{st.Field(0).(*array.String).Value(j),
					st.Field(1).(*array.Int64).Value(j), st.Field(2).(*array.Int64).Value(j)})
			}
			for k, t := range []*time.Time{&r.From, &r.To} {
				if c := col[cFrom+k].(*array.Timestamp); c.IsValid(i) {
					*t = time.UnixMicro(int64(c.Value(i))).UTC()
				}
			}
		}
		m := Metric{Name: str(cMetric, i), Kind: Kind(str(cKind, i)), Value: f64(cValue, i), N: i64(cN, i),
			Num: i64(cNum, i), Den: i64(cDen, i), Q: f64(cQ, i), Of: str(cOf, i),
			HigherBetter: col[cBetter].(*array.Boolean).Value(i), Changed: col[cChanged].(*array.Boolean).Value(i),
			Worse: col[cWorse].(*array.Boolean).Value(i)}
		sl := col[cSamples].(*array.List)
		lo, hi := sl.ValueOffsets(i)
		if hi > lo {
			m.Samples = slices.Clone(sl.ListValues().(*array.Int64).Int64Values()[lo:hi])
		}
		r.Metrics = append(r.Metrics, m)
	}
}
