package mining

import "reflect"

// SameFindings reports whether a and b are the same findings: they name
// every case alike (CaseID) and are deeply equal otherwise. Findings of
// Analyze are never reflect.DeepEqual, as their case names come from a
// func, which DeepEqual does not compare.
func SameFindings(a, b *Findings) bool {
	if a == nil || b == nil {
		return a == b
	}
	if len(a.Cases) != len(b.Cases) {
		return false
	}
	for k := range a.Cases {
		if a.CaseID(k) != b.CaseID(k) {
			return false
		}
	}
	x, y := *a, *b
	x.caseID, y.caseID = nil, nil
	return reflect.DeepEqual(x, y)
}
