package html

import (
	"regexp"
	"strings"
	"testing"

	"github.com/caseflow/caseflow/mining"
)

// The "Sources joined" block shows each source's counts as given, in
// order and escaped, and is absent for one source.
func TestSourcesBlock(t *testing.T) {
	f := analyze(t, threeCases, mining.Options{})
	in := threeInput
	if page := string(write(t, f, in)); strings.Contains(page, `id="sources"`) {
		t.Error("one source: the page has a sources block")
	}
	in.Sources = []Source{
		{Name: "tickets", Key: "case_id", Cases: 2000, Events: 24507, LinkedCases: 829, LinkedEvents: 9190, UnlinkedCases: 1171, UnlinkedEvents: 15317},
		{Name: "calls<b>", Key: "ticket", Cases: 1046, Events: 2558, LinkedCases: 829, LinkedEvents: 2223, UnlinkedCases: 217, UnlinkedEvents: 335, NoKey: 217, OneToMany: 3},
	}
	page := string(write(t, f, in))
	block := regexp.MustCompile(`(?s)<table id="sources">.*?</table>`).FindString(page)
	cells := regexp.MustCompile(`<td[^>]*>([^<]*)</td>`).FindAllStringSubmatch(block, -1)
	var got []string
	for _, c := range cells {
		got = append(got, c[1])
	}
	want := "tickets case_id 2,000 829 1,171 0 0 24,507 9,190 calls&lt;b&gt; ticket 1,046 829 217 217 3 2,558 2,223"
	if strings.Join(got, " ") != want {
		t.Errorf("sources block cells\n%q\nwant\n%q", strings.Join(got, " "), want)
	}
}
