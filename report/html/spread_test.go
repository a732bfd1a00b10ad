package html

import (
	"reflect"
	"testing"
)

func TestVanDerCorput(t *testing.T) {
	want := []float64{0, 0.5, 0.25, 0.75, 0.125, 0.625, 0.375, 0.875}
	for k, w := range want {
		if got := vanDerCorput(k); got != w {
			t.Errorf("vanDerCorput(%d) = %v, want %v", k, got, w)
		}
	}
	// Four units by volume 1, 9, 5, 7: the busiest (index 1) first, the
	// second (3) opposite it, then 2 and 0 in the gaps.
	if got, want := spread([]int{1, 9, 5, 7}), []int{1, 2, 3, 0}; !reflect.DeepEqual(got, want) {
		t.Errorf("spread = %v, want %v", got, want)
	}
}
