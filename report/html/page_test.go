package html

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// checkPage checks what every report must be, whatever the log: the only
// script is ours, no element has an event-handler attribute, nothing
// points outside the page, the policy allows our script by its hash, ids
// are unique, and every SVG drawing is well-formed XML.
func checkPage(t *testing.T, page []byte) *xhtml.Node {
	t.Helper()
	doc, err := xhtml.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("page does not parse: %v", err)
	}
	scripts := 0
	ids := map[string]bool{}
	policy := ""
	walk(doc, func(n *xhtml.Node) {
		if n.Type != xhtml.ElementNode {
			return
		}
		switch n.Data {
		case "script":
			if attr(n, "type") == "application/json" { // data, which no browser runs
				if attr(n, "id") != "cf-data" || !json.Valid([]byte(text(n))) || strings.Contains(strings.ToLower(text(n)), "</script") {
					t.Errorf("a data block that is not the page's JSON: %.200q", text(n))
				}
				break
			}
			scripts++
			if got := text(n); got != Script() {
				t.Errorf("a script is not ours: %.200q", got)
			}
		case "img", "iframe", "object", "embed", "link", "base", "form":
			t.Errorf("unexpected <%s> element", n.Data)
		case "meta":
			if attr(n, "http-equiv") == "Content-Security-Policy" {
				policy = attr(n, "content")
			}
		case "style":
			if s := text(n); strings.Contains(s, "url(") || strings.Contains(s, "@import") {
				t.Error("the style sheet refers to a URL")
			}
		}
		for _, a := range n.Attr {
			key := strings.ToLower(a.Key)
			switch {
			case strings.HasPrefix(key, "on"):
				t.Errorf("<%s> has an event handler %s=%q", n.Data, a.Key, a.Val)
			case key == "src" || key == "srcset" || key == "action" || key == "formaction" || key == "poster" || key == "data":
				t.Errorf("<%s> loads %s=%q", n.Data, a.Key, a.Val)
			case strings.HasSuffix(key, "href") && !strings.HasPrefix(a.Val, "#"):
				t.Errorf("<%s> links outside the page: %s=%q", n.Data, a.Key, a.Val)
			case key == "id" && !inTemplate(n): // each level's drawing in its template has its own
				if ids[a.Val] {
					t.Errorf("id %q is used twice", a.Val)
				}
				ids[a.Val] = true
			}
			for _, m := range urlRef.FindAllStringSubmatch(a.Val, -1) {
				if !strings.HasPrefix(m[1], "#") {
					t.Errorf("<%s> refers to %q", n.Data, m[1])
				}
			}
		}
	})
	if scripts != 1 {
		t.Errorf("%d scripts, want 1", scripts)
	}
	if want := "script-src 'sha256-" + hash(Script()) + "'"; !strings.Contains(policy, want) || !strings.Contains(policy, "default-src 'none'") {
		t.Errorf("content security policy %q lacks default-src 'none' or %s", policy, want)
	}
	for _, frag := range svgRE.FindAll(page, -1) {
		d := xml.NewDecoder(bytes.NewReader(frag))
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("SVG is not well-formed XML: %v\n%.300s", err, frag)
				break
			}
		}
	}
	return doc
}

var (
	svgRE  = regexp.MustCompile(`(?s)<svg\b.*?</svg>`)
	urlRef = regexp.MustCompile(`url\(\s*['"]?([^'")]*)`)
)

// inTemplate says whether n is inside a <template>, whose content is
// inert until the script copies it into the page.
func inTemplate(n *xhtml.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == xhtml.ElementNode && p.Data == "template" {
			return true
		}
	}
	return false
}

func walk(n *xhtml.Node, f func(*xhtml.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// text is the text content of n, as a browser's textContent.
func text(n *xhtml.Node) string {
	var b strings.Builder
	walk(n, func(c *xhtml.Node) {
		if c.Type == xhtml.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

func byID(t *testing.T, doc *xhtml.Node, id string) *xhtml.Node {
	t.Helper()
	var out *xhtml.Node
	walk(doc, func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && attr(n, "id") == id && out == nil {
			out = n
		}
	})
	if out == nil {
		t.Fatalf("no element with id %q", id)
	}
	return out
}

func elements(n *xhtml.Node, tag string) []*xhtml.Node {
	var out []*xhtml.Node
	walk(n, func(c *xhtml.Node) {
		if c.Type == xhtml.ElementNode && c.Data == tag {
			out = append(out, c)
		}
	})
	return out
}

// tableRows is the text of the body cells of the i-th table in n.
func tableRows(t *testing.T, n *xhtml.Node, i int) [][]string {
	t.Helper()
	tables := elements(n, "table")
	if i >= len(tables) {
		t.Fatalf("no table %d (%d tables)", i, len(tables))
	}
	var rows [][]string
	for _, body := range elements(tables[i], "tbody") {
		for _, tr := range elements(body, "tr") {
			var row []string
			for _, td := range elements(tr, "td") {
				row = append(row, strings.TrimSpace(text(td)))
			}
			rows = append(rows, row)
		}
	}
	return rows
}
