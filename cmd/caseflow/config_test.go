package main

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func writeConfig(t *testing.T, dir, text string) string {
	t.Helper()
	path := filepath.Join(dir, "nightly.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestConfigRun runs a nightly job from a config file: inputs, mapping,
// thresholds, outputs, rules and key all come from the file, relative
// paths from its folder.
func TestConfigRun(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(threeCases)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "export.csv"), data, 0o644)
	cfg := writeConfig(t, dir, `# caseflow analyze --config nightly.toml
inputs = ["export.csv"]

[read]
case = "case"
activity = ["activity"]
time = ["time"]
department = "department"
resource = "resource"
timezone = "UTC"
max-rejects = "1%"

[mining]
level = "resource"
min-support = 2
fdr = 0.1
sla = "90m"

[output]
format = "json"
out = "reports"
top = 5

[privacy]
key = "from the file"

[alert]
fail-on = ["pingpong.cases>=1", "log.cases>100"]
`)
	t.Setenv(keyEnv, "")
	code, out, errs := call(t, "", "analyze", "--config", cfg)
	if code != exitBreach || !strings.Contains(errs, "pingpong.cases>=1 breached") || strings.Contains(errs, "log.cases>100 breached") {
		t.Fatalf("exit %d, stderr %q; want 3 for the first rule only", code, errs)
	}
	doc := decodeJSON(t, out)
	for path, want := range map[string]any{
		"options.level": "resource", "options.min_support": 2.0, "options.fdr": 0.1, "options.sla_s": 5400.0,
		"options.top": 5.0, "log.cases": 3.0, "lead_time.long_cases": 2.0,
		// Ann, pseudonymised with the file's key (printf 'res-Ann' | openssl dgst -sha256 -hmac "from the file").
		"pingpong.pairs.0.a": "res-45afa3fc1a29",
	} {
		if got := lookup(t, doc, path); got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "report.json")); err != nil {
		t.Errorf("out = \"reports\" should write beside the config file: %v", err)
	}

	// Flags win over the file; the environment's key over the file's.
	t.Setenv(keyEnv, "s3cret")
	code, out, errs = call(t, "", "analyze", "--config", cfg, "--format", "text", "--level", "department", "--fail-on", "log.cases>100")
	if code != exitOK || !strings.HasPrefix(out, "caseflow report") || !strings.Contains(out, "DEPARTMENTS") {
		t.Errorf("exit %d, stderr %q; the flags should override format, level and rules:\n%s", code, errs, out)
	}
	code, out, _ = call(t, "", "analyze", "--config", cfg)
	if code != exitBreach || !strings.Contains(out, "res-"+"f5966bcbf13d") { // Ann under s3cret
		t.Errorf("exit %d; CASEFLOW_KEY should override the file's key:\n%s", code, out)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text, err string
	}{
		{"unknown key", "[read]\ncase = \"id\"\ndepartmnet = \"team\"\n",
			`nightly.toml:3:1: unknown key "read.departmnet"; the known keys are case, activity, time`},
		{"unknown table", "[minng]\nlevel = \"resource\"\n", `nightly.toml:1:2: unknown key "minng"`},
		{"wrong type", "[mining]\nmin-support = \"many\"\n", "nightly.toml:2:15: mining.min-support: a TOML string cannot go here: want a whole number"},
		{"not a list", "[read]\nactivity = \"Status\"\n", "nightly.toml:2:12: read.activity: a TOML string cannot go here: want a list"},
		{"bad level", "[mining]\nlevel = \"team\"\n", `nightly.toml:2:9: mining.level: level "team": want department or resource`},
		{"bad duration", "[mining]\nsla = \"3x\"\n", `nightly.toml:2:7: mining.sla: "3x" is not a duration`},
		{"bad SLA in a table", "[mining]\nsla-by = \"channel\"\n[mining.sla-for]\nphone = \"2 days\"\n", `nightly.toml:4:9: mining.sla-for.phone: "2 days" is not a duration`},
		{"bad zone", "[read]\ntimezone = \"Mars/Olympus\"\n", `nightly.toml:2:12: read.timezone: "Mars/Olympus" is not a known IANA zone`},
		{"bad rule", "[alert]\nfail-on = [\"pingpong.case_rate>0.05\", \"pingpong.rate>1\"]\n",
			`nightly.toml:2:39: alert.fail-on: invalid rule "pingpong.rate>1"`},
		{"not TOML", "[read\n", "nightly.toml:1:6:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := writeConfig(t, t.TempDir(), tc.text)
			code, out, errs := call(t, "", "analyze", "--config", cfg)
			if code != exitUsage || out != "" || !strings.Contains(errs, tc.err) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tc.err)
			}
		})
	}
}

// TestConfigKeysAreFlags keeps the file and the flags in step: every key
// (but inputs and the key) is a flag of analyze, and every flag of analyze
// (but --config and --help) is a key.
func TestConfigKeysAreFlags(t *testing.T) {
	fs := pflag.NewFlagSet("analyze", pflag.ContinueOnError)
	var rf readFlags
	rf.register(fs)
	var a analyzeFlags
	a.register(fs)
	var keys []string
	for sec := range reflect.TypeFor[config]().Fields() {
		if sec.Type.Kind() != reflect.Struct {
			continue
		}
		for f := range sec.Type.Fields() {
			if name := f.Tag.Get("toml"); !strings.Contains(f.Tag.Get("cf"), "noflag") {
				keys = append(keys, name)
				if fs.Lookup(name) == nil {
					t.Errorf("config key %s.%s is not a flag", sec.Tag.Get("toml"), name)
				}
			}
		}
	}
	fs.VisitAll(func(f *pflag.Flag) {
		// Profiles are for one tuning run, not for a scheduled job's config.
		if !slices.Contains([]string{"config", "help", "cpuprofile", "memprofile"}, f.Name) && !slices.Contains(keys, f.Name) {
			t.Errorf("flag --%s has no config key", f.Name)
		}
	})
}

// TestConfigExampleInDocs loads the example in docs/report.md, so that the
// documentation cannot drift from the keys.
func TestConfigExampleInDocs(t *testing.T) {
	doc := readFile(t, filepath.Join("..", "..", "docs", "report.md"))
	_, rest, ok := strings.Cut(doc, "```toml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/report.md has no ```toml example")
	}
	c, err := loadConfig(writeConfig(t, t.TempDir(), example))
	if err != nil {
		t.Fatal(err)
	}
	fs := pflag.NewFlagSet("analyze", pflag.ContinueOnError)
	var rf readFlags
	rf.register(fs)
	var a analyzeFlags
	a.register(fs)
	if err := c.apply(fs); err != nil {
		t.Fatal(err)
	}
	if err := a.check(); err != nil {
		t.Fatal(err)
	}
	if a.level != "department" || a.sla.Hours() != 72 || len(a.rules) != 2 || rf.dept != "team" || !a.quiet || a.top != 20 ||
		!slices.Equal(rf.activity, []string{"Status", "Sub Status"}) || c.Privacy.Key == nil {
		t.Errorf("the example was not applied: %+v %+v", a, rf)
	}
}

// FuzzConfig feeds the config reader arbitrary files: it must return a
// config or an error that names the file, never panic.
func FuzzConfig(f *testing.F) {
	f.Add("[read]\ncase = \"id\"\n[mining]\nsla = \"72h\"\n[alert]\nfail-on = [\"log.cases>1\"]\n")
	f.Add("inputs = [\"a.csv\", \"-\"]\n[output]\ntop = 5\n")
	f.Add("[read\n")
	f.Add("[mining]\nmin-support = 'x'\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := parseConfig("f.toml", []byte(text))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.toml") {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		fs := pflag.NewFlagSet("analyze", pflag.ContinueOnError)
		var rf readFlags
		rf.register(fs)
		var a analyzeFlags
		a.register(fs)
		c.apply(fs) // may fail on a value only the flag checks; must not panic
	})
}

// TestKeyAt: where a key's value is written, counted by hand: in its
// table, as a dotted key, in a table written as a dotted header, not in
// an [[input]] table of the same key; an inline table gives the file alone.
func TestKeyAt(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"[read]\ntmp = \"x\"\n", "c.toml:2:7"},
		{"inputs = [\"a.csv\"]\nread.tmp  =  \"x\"\n", "c.toml:2:14"},
		{"[[input]]\ntmp = \"y\"\n[output]\nquiet = true\n[read]\ncase = \"id\"\n  tmp = 'x'\n", "c.toml:7:9"},
		{"read = { tmp = \"x\" }\n", "c.toml"},
	} {
		if got := keyAt("c.toml", []byte(tc.text), "read", "tmp"); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.text, got, tc.want)
		}
	}
}
