package report

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// ErrRule is wrapped by errors about a --fail-on rule.
var ErrRule = errors.New("invalid rule")

// Rule is a check on a number of the JSON document, such as
// "pingpong.case_rate>0.05": a path of keys and list indices (counted from
// 0) joined by dots, an operator (> >= < <= == !=) and a number.
type Rule struct {
	Path  string
	Op    string
	Value float64
	keys  []string
}

func (r Rule) String() string {
	return r.Path + r.Op + strconv.FormatFloat(r.Value, 'g', -1, 64)
}

// operators, two-character ones first so that ">=" is not read as ">".
var operators = []string{">=", "<=", "==", "!=", ">", "<"}

// ParseRule reads a rule and checks that its path names a number of the
// document (an integer or a figure, not a text, a flag or a list).
func ParseRule(s string) (Rule, error) {
	at, op := -1, ""
	for _, o := range operators {
		if i := strings.Index(s, o); i >= 0 && (at < 0 || i < at) {
			at, op = i, o
		}
	}
	if at < 0 {
		return Rule{}, fmt.Errorf("%w %q: no comparison; write PATH OP NUMBER with OP one of > >= < <= == !=, e.g. pingpong.case_rate>0.05", ErrRule, s)
	}
	r := Rule{Path: strings.TrimSpace(s[:at]), Op: op}
	num := strings.TrimSpace(s[at+len(op):])
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) {
		return Rule{}, fmt.Errorf("%w %q: %q is not a number; compare with a number such as 0.05 or 30", ErrRule, s, num)
	}
	r.Value = v
	r.keys = strings.Split(r.Path, ".")
	if err := checkPath(reflect.TypeFor[document](), r.keys); err != nil {
		return Rule{}, fmt.Errorf("%w %q: %v", ErrRule, s, err)
	}
	return r, nil
}

// checkPath checks that keys lead through t to a number.
func checkPath(t reflect.Type, keys []string) error {
	done := ""
	for _, k := range keys {
		if t.Kind() == reflect.Pointer { // an object that may be null, such as journeys
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Struct:
			f, ok := field(t, k)
			if !ok {
				return fmt.Errorf("%s has no field %q; its fields are %s", where(done), k, strings.Join(fields(t), ", "))
			}
			t = f.Type
		case reflect.Slice:
			if i, err := strconv.Atoi(k); err != nil || i < 0 {
				return fmt.Errorf("%s is a list: follow it with an index from 0, as in %s.0", where(done), done)
			}
			t = t.Elem()
		default:
			return fmt.Errorf("%s is a single value: it has no %q", where(done), k)
		}
		done = strings.TrimPrefix(done+"."+k, ".")
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint64, reflect.Float64:
		return nil
	case reflect.Struct:
		return fmt.Errorf("%s is an object: name one of its numbers, %s", where(done), strings.Join(fields(t), ", "))
	case reflect.Slice:
		return fmt.Errorf("%s is a list: name an element by its index from 0 and then its number, as in %s.0", where(done), done)
	}
	return fmt.Errorf("%s is not a number", where(done))
}

func where(path string) string {
	if path == "" {
		return "the document"
	}
	return path
}

// field finds a field by JSON name, among those an embedded struct
// promotes too, as encoding/json does.
func field(t reflect.Type, name string) (reflect.StructField, bool) {
	for _, f := range reflect.VisibleFields(t) {
		if !f.Anonymous && jsonName(f) == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func fields(t reflect.Type) []string {
	var out []string
	for _, f := range reflect.VisibleFields(t) {
		if !f.Anonymous {
			out = append(out, jsonName(f))
		}
	}
	return out
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// Check evaluates the rule on the JSON document as written. found is false
// when the path runs past the end of a list (a rule on the third pair of a
// report with two) or names a figure that was not computed (null in the
// JSON): the rule then does not hold.
func (r *Report) Check(rule Rule) (breached bool, value float64, found bool) {
	v := reflect.ValueOf(r.short()).Elem()
	for _, k := range rule.keys {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() { // a null object: its figures were not computed
				return false, 0, false
			}
			v = v.Elem()
		}
		switch v.Kind() {
		case reflect.Struct:
			f, _ := field(v.Type(), k)
			v = v.FieldByIndex(f.Index)
		case reflect.Slice:
			i, _ := strconv.Atoi(k)
			if i >= v.Len() {
				return false, 0, false
			}
			v = v.Index(i)
		}
	}
	switch v.Kind() {
	case reflect.Float64:
		value = v.Float()
	case reflect.Uint64:
		value = float64(v.Uint())
	default:
		value = float64(v.Int())
	}
	if math.IsNaN(value) {
		return false, value, false
	}
	switch rule.Op {
	case ">":
		breached = value > rule.Value
	case ">=":
		breached = value >= rule.Value
	case "<":
		breached = value < rule.Value
	case "<=":
		breached = value <= rule.Value
	case "==":
		breached = value == rule.Value
	case "!=":
		breached = value != rule.Value
	}
	return breached, value, true
}
