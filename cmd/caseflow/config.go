package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
	"github.com/spf13/pflag"

	"github.com/caseflow/caseflow/ingest"
	"github.com/caseflow/caseflow/report"
)

// config is an analyze configuration file, for scheduled runs: TOML whose
// keys are the names of analyze's flags, grouped in tables. Flags given on
// the command line override it. Relative paths (inputs, rejects, out) are
// relative to the file's folder, so a job can run from anywhere. An
// unknown key is an error, so a typo never passes silently.
// docs/report.md shows a complete file.
type config struct {
	// Inputs are read when the command line names no FILE.
	Inputs []string `toml:"inputs" cf:"path,noflag"`
	// Input are the sources of an analysis of several systems (the
	// [[input]] tables), read when neither the command line nor inputs
	// names files, and joined into one log (sources.go).
	Input  []inputConfig `toml:"input" cf:"noflag"`
	Read   readConfig    `toml:"read"`
	Mining struct {
		Level      *levelName `toml:"level"`
		MinSupport *int       `toml:"min-support"`
		FDR        *float64   `toml:"fdr"`
		MinRatio   *float64   `toml:"min-ratio"`
		MinShift   *duration  `toml:"min-shift"`
		From       *string    `toml:"from"`
		To         *string    `toml:"to"`
		SLA        *duration  `toml:"sla"`
		// SLAFor is a table, value = "duration", for --sla-for.
		SLAFor       map[string]duration `toml:"sla-for"`
		SLABy        *string             `toml:"sla-by"`
		LongQuantile *float64            `toml:"long-quantile"`
		By           *string             `toml:"by"`
		Seed         *uint64             `toml:"seed"`
		Customer     *string             `toml:"customer"`
		Reason       *string             `toml:"reason"`
		Unidentified []string            `toml:"unidentified"`
		RepeatWindow *duration           `toml:"repeat-window"`
		Chasers      []string            `toml:"chaser"`
		WorkingTime  *bool               `toml:"working-time"`
	} `toml:"mining"`
	Output struct {
		Format    *formatName `toml:"format"`
		Out       *string     `toml:"out" cf:"path"`
		HTML      *string     `toml:"html" cf:"path"`
		Top       *int        `toml:"top"`
		MapDetail *int        `toml:"map-detail"`
		Quiet     *bool       `toml:"quiet"`
		Lang      *langName   `toml:"lang"`
		// History is the folder of --history; CompareLast its --compare-last.
		History     *string `toml:"history" cf:"path"`
		CompareLast *int    `toml:"compare-last"`
	} `toml:"output"`
	Privacy struct {
		// Key is the pseudonymisation key; CASEFLOW_KEY overrides it. It
		// has no flag, as command lines are visible to other users.
		Key               *string `toml:"key" cf:"noflag"`
		RevealResources   *bool   `toml:"reveal-resources"`
		PseudonymiseCases *bool   `toml:"pseudonymise-cases"`
	} `toml:"privacy"`
	Alert struct {
		FailOn []ruleText `toml:"fail-on"`
		// FailOnDrift is --fail-on-drift: "all" or a list of metrics.
		FailOnDrift *string  `toml:"fail-on-drift"`
		DriftFDR    *float64 `toml:"drift-fdr"`
	} `toml:"alert"`
	// Cost holds the rates of the cost model; a table NAME = RATE for the
	// per-minute and per-contact rates, "*" for all other names.
	Cost struct {
		Currency        *string            `toml:"currency"`
		PerMinute       map[string]float64 `toml:"cost-per-minute"`
		PerHandoff      *float64           `toml:"cost-per-handoff"`
		PerContact      map[string]float64 `toml:"cost-per-contact"`
		PerRepeat       *float64           `toml:"cost-per-repeat-contact"`
		PerWaitingHour  *float64           `toml:"cost-per-waiting-hour"`
		MinutesPerEvent *float64           `toml:"minutes-per-event"`
		MinutesPerStay  *float64           `toml:"minutes-per-stay"`
	} `toml:"cost"`
	// Filter chooses the cases reported on (filter.go).
	Filter struct {
		Since  *string  `toml:"since"`
		Until  *string  `toml:"until"`
		Window *string  `toml:"window"`
		Where  []string `toml:"where"`
	} `toml:"filter"`
	// Calendar is the business calendar of --working-time.
	Calendar calendarConfig `toml:"calendar"`
	// tmpAt is where [read] tmp is written, FILE:LINE:COLUMN: its folder
	// is checked when the run starts, after decoding.
	tmpAt string
}

// readConfig are the keys of [read], and of each [[input]] table.
type readConfig struct {
	Case       *string     `toml:"case"`
	Activity   []string    `toml:"activity"`
	Time       []string    `toml:"time"`
	StartTime  *string     `toml:"start-time"`
	Department *string     `toml:"department"`
	Resource   *string     `toml:"resource"`
	Channel    *string     `toml:"channel"`
	TimeFormat *string     `toml:"time-format"`
	Timezone   *zoneName   `toml:"timezone"`
	Encoding   *string     `toml:"encoding"`
	Delimiter  *string     `toml:"delimiter"`
	Missing    []string    `toml:"missing"`
	Rejects    *string     `toml:"rejects" cf:"path"`
	MaxRejects *rejectText `toml:"max-rejects"`
	Workers    *int        `toml:"workers"`
	Memory     *memoryText `toml:"memory"`
	Tmp        *string     `toml:"tmp" cf:"path"`
	Shape      *string     `toml:"shape"`
	Sheet      *string     `toml:"sheet"`
	// The columns and fields of a field-change history (--shape audit).
	DepartmentField *string `toml:"department-field"`
	ActivityField   *string `toml:"activity-field"`
	FieldColumn     *string `toml:"field-column"`
	OldColumn       *string `toml:"old-column"`
	NewColumn       *string `toml:"new-column"`
	// The department of a call record's service stage (--shape calls).
	CallAgentDepartment       *string `toml:"call-agent-department"`
	CallAgentDepartmentColumn *string `toml:"call-agent-department-column"`
	// Merge lifecycle start and complete events (read for all sources).
	PairLifecycle *bool `toml:"pair-lifecycle"`
}

// inputConfig is one [[input]] table: a source of an analysis of several
// systems (a telephony platform's calls, a ticketing system's tickets),
// read from its files with its own [read] keys and joined to the first
// source's cases by the values of its join column (ingest.Join).
type inputConfig struct {
	Name  string   `toml:"name"`
	Files []string `toml:"files"`
	Join  string   `toml:"join"`
	readConfig
}

// Values checked as the file is decoded, so that their errors carry the
// file's line and column. Each keeps the text as written, for its flag.
type (
	zoneName   struct{ s string }
	rejectText struct{ s string }
	levelName  struct{ s string }
	duration   struct{ s string }
	formatName struct{ s string }
	ruleText   struct{ s string }
	langName   struct{ s string }
)

func (v *langName) UnmarshalText(b []byte) error {
	if _, err := report.ParseLang(string(b)); err != nil {
		return err
	}
	v.s = string(b)
	return nil
}

func (v *zoneName) UnmarshalText(b []byte) error {
	if _, err := time.LoadLocation(string(b)); err != nil {
		return fmt.Errorf("%q is not a known IANA zone name (such as Europe/Amsterdam or UTC)", b)
	}
	v.s = string(b)
	return nil
}

func (v *rejectText) UnmarshalText(b []byte) error {
	if _, err := ingest.ParseRejectLimit(string(b)); err != nil {
		return err
	}
	v.s = string(b)
	return nil
}

func (v *levelName) UnmarshalText(b []byte) error {
	v.s = string(b)
	return checkLevel(v.s)
}

func (v *duration) UnmarshalText(b []byte) error {
	if _, err := parseSpan(string(b)); err != nil {
		return err
	}
	v.s = string(b)
	return nil
}

func (v *formatName) UnmarshalText(b []byte) error {
	v.s = string(b)
	return checkFormat(v.s)
}

func (v *ruleText) UnmarshalText(b []byte) error {
	if _, err := report.ParseRule(string(b)); err != nil {
		return err
	}
	v.s = string(b)
	return nil
}

func (v zoneName) String() string   { return v.s }
func (v rejectText) String() string { return v.s }
func (v levelName) String() string  { return v.s }
func (v duration) String() string   { return v.s }
func (v formatName) String() string { return v.s }
func (v ruleText) String() string   { return v.s }
func (v langName) String() string   { return v.s }

// loadConfig reads a configuration file. Errors read FILE:LINE:COLUMN.
func loadConfig(path string) (*config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	return parseConfig(path, data)
}

// parseConfig reads the configuration in data, which came from path.
func parseConfig(path string, data []byte) (*config, error) {
	var c config
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, configError(path, err)
	}
	dir := filepath.Dir(path)
	c.Inputs = relativeTo(dir, c.Inputs)
	for i := range c.Input {
		c.Input[i].Files = relativeTo(dir, c.Input[i].Files)
	}
	for _, p := range []*string{c.Read.Rejects, c.Read.Tmp, c.Output.Out, c.Output.HTML, c.Output.History} {
		if p != nil {
			*p = relativeTo(dir, []string{*p})[0]
		}
	}
	c.Calendar.relativeTo(dir)
	if c.Read.Tmp != nil {
		c.tmpAt = keyAt(path, data, "read", "tmp")
	}
	return &c, nil
}

// keyAt is where the value of key in table is written in data, which came
// from path, as FILE:LINE:COLUMN; path alone where it is not found (an
// inline table).
func keyAt(path string, data []byte, table, key string) string {
	var p unstable.Parser
	p.Reset(data)
	var in []string
	for p.NextExpression() {
		e := p.Expression()
		if e.Kind != unstable.Table && e.Kind != unstable.ArrayTable && e.Kind != unstable.KeyValue {
			continue
		}
		var name []string
		for it := e.Key(); it.Next(); {
			name = append(name, string(it.Node().Data))
		}
		if e.Kind != unstable.KeyValue {
			in = name
		} else if slices.Equal(append(slices.Clone(in), name...), []string{table, key}) {
			at := p.Shape(e.Value().Raw).Start
			return fmt.Sprintf("%s:%d:%d", path, at.Line, at.Column)
		}
	}
	return path
}

func relativeTo(dir string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		if p != "-" && p != "" && !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		out[i] = p
	}
	return out
}

var typeMismatch = regexp.MustCompile(`cannot decode TOML (\w+) into .* of type (\S+)$`)

// configError turns go-toml's errors into FILE:LINE:COLUMN: messages.
func configError(path string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var msgs []string
		for _, e := range strict.Errors {
			line, col := e.Position()
			key := strings.Join(e.Key(), ".")
			msgs = append(msgs, fmt.Sprintf("%s:%d:%d: unknown key %q; the known keys are %s",
				path, line, col, key, strings.Join(knownKeys(e.Key()), ", ")))
		}
		return errors.New(strings.Join(msgs, "\n"))
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if m := typeMismatch.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("a TOML %s cannot go here: want %s", m[1], tomlKind(m[2]))
		}
		if k := strings.Join(de.Key(), "."); k != "" {
			msg = k + ": " + msg
		}
		return fmt.Errorf("%s:%d:%d: %s", path, line, col, msg)
	}
	return fmt.Errorf("%s: %w", path, err)
}

func tomlKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list, such as [\"a\", \"b\"]"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"):
		return "a whole number"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	}
	return "a quoted string"
}

// knownKeys lists the keys allowed where key (a table and key, or a
// top-level name) was found.
func knownKeys(key []string) []string {
	t := reflect.TypeFor[config]()
	if len(key) > 1 {
		if f, ok := tomlField(t, key[0]); ok {
			if ft := elem(f.Type); ft.Kind() == reflect.Struct {
				t = ft
			}
		}
	}
	return keysOf(t)
}

// elem is the element type of a list of tables, else t.
func elem(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct {
		return t.Elem()
	}
	return t
}

// keysOf lists the keys of a table type, tables in brackets and the keys
// of an embedded struct (the [read] keys of [[input]]) as its own.
func keysOf(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		name := f.Tag.Get("toml")
		switch {
		case f.Anonymous:
			out = append(out, keysOf(f.Type)...)
			continue
		case f.Type.Kind() == reflect.Struct:
			name = "[" + name + "]"
		case elem(f.Type) != f.Type:
			name = "[[" + name + "]]"
		}
		out = append(out, name)
	}
	return out
}

func tomlField(t reflect.Type, name string) (reflect.StructField, bool) {
	for f := range t.Fields() {
		if f.Tag.Get("toml") == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// tmpFrom is where the file's [read] tmp is written (FILE:LINE:COLUMN)
// when it sets --tmp (the command line does not), so that an unusable
// folder is told as the file's; "".
func (c *config) tmpFrom(fs *pflag.FlagSet) string {
	if c.Read.Tmp == nil || fs.Changed("tmp") {
		return ""
	}
	return c.tmpAt
}

// apply sets the flags the file gives a value and the command line does
// not.
func (c *config) apply(fs *pflag.FlagSet) error {
	v := reflect.ValueOf(c).Elem()
	for i := range v.NumField() {
		if sec := v.Field(i); sec.Kind() == reflect.Struct {
			for j := range sec.NumField() {
				f := sec.Type().Field(j)
				if err := setFlag(fs, f, sec.Field(j)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// setFlag sets the flag named like field f to v, unless v is unset, the
// field has no flag or the flag was given.
func setFlag(fs *pflag.FlagSet, f reflect.StructField, v reflect.Value) error {
	name := f.Tag.Get("toml")
	if slices.Contains(strings.Split(f.Tag.Get("cf"), ","), "noflag") || v.IsNil() || fs.Changed(name) {
		return nil
	}
	fl := fs.Lookup(name)
	if fl == nil {
		return fmt.Errorf("config key %s has no flag", name) // a mistake in config, caught by its test
	}
	if v.Kind() == reflect.Slice || v.Kind() == reflect.Map {
		vals := listValues(v)
		sv, ok := fl.Value.(pflag.SliceValue)
		if !ok {
			return fmt.Errorf("config key %s: flag --%s takes one value", name, name)
		}
		fl.Changed = true
		return sv.Replace(vals)
	}
	text := fmt.Sprint(v.Elem().Interface())
	if v.Elem().Kind() == reflect.Float64 {
		text = strconv.FormatFloat(v.Elem().Float(), 'g', -1, 64)
	}
	if err := fs.Set(name, text); err != nil {
		return fmt.Errorf("config key %s: %w", name, err)
	}
	return nil
}

// listValues are the values of a list of the file, or of a table VALUE =
// "DURATION" as VALUE=DURATION (sorted), for a repeatable flag.
func listValues(v reflect.Value) []string {
	var vals []string
	if v.Kind() == reflect.Map {
		for _, k := range v.MapKeys() {
			vals = append(vals, fmt.Sprintf("%v=%v", k.Interface(), v.MapIndex(k).Interface()))
		}
		slices.Sort(vals)
		return vals
	}
	for i := range v.Len() {
		vals = append(vals, fmt.Sprint(v.Index(i).Interface()))
	}
	return vals
}
