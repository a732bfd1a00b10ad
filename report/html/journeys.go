package html

import (
	"github.com/caseflow/caseflow/mining"
)

// journeyView is the FCR table of the page; nil without a customer column.
type journeyView struct {
	Summary string
	Rows    []fcrRow
}

type fcrRow struct {
	By, Name       string
	N, Repeated    int
	FCR, Low, High float64
}

// journeyTable lists first-contact resolution with its Wilson interval by
// channel, reason and closing department, as mining.Journeys has them.
func journeyTable(j *mining.Journeys) *journeyView {
	if j == nil {
		return nil
	}
	v := &journeyView{}
	if j.FCR.N == 0 {
		v.Summary = english.Sprintf("%d contacts of %d customers; none could be followed for the whole window.", j.Contacts, j.Customers)
		return v
	}
	v.Summary = english.Sprintf("First-contact resolution %s (95 %% interval %s to %s): %d of %d contacts were not followed by another contact of the same customer within %s of their end; %d contacts in the log's last %s are left out, %d cases without a known customer too.",
		pct(j.FCR.FCR), pct(j.FCR.Low), pct(j.FCR.High), j.FCR.N-j.FCR.Repeated, j.FCR.N, dur(j.Window), j.Contacts-j.FCR.N, dur(j.Window), j.Unidentified)
	for _, g := range []struct {
		by   string
		rows []mining.Group
	}{{"channel", j.ByChannel}, {"reason", j.ByReason}, {"closed by", j.ByDepartment}} {
		for _, r := range g.rows {
			v.Rows = append(v.Rows, fcrRow{By: g.by, Name: clean(r.Name), N: r.N, FCR: r.FCR, Low: r.Low, High: r.High, Repeated: r.Repeated})
		}
	}
	return v
}
