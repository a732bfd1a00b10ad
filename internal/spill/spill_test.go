package spill

import (
	"os"
	"testing"
)

func TestMakeGrowFree(t *testing.T) {
	dir := t.TempDir()
	m, err := New(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	s := Make[int64](m, 1<<20)
	if st := m.Stats(); st.Mapped != 8<<20 {
		t.Fatalf("mapped %d bytes, want %d", st.Mapped, 8<<20)
	}
	for i := range s {
		if s[i] != 0 {
			t.Fatalf("s[%d] = %d, not zeroed", i, s[i])
		}
		s[i] = int64(i)
	}
	s = Grow(m, s, 1)
	s = append(s, 7)
	if s[len(s)-1] != 7 || s[12345] != 12345 || cap(s) != 2<<20 {
		t.Fatalf("grown slice wrong: len %d cap %d", len(s), cap(s))
	}
	if st := m.Stats(); st.Mapped != 16<<20 || st.Peak != 24<<20 {
		t.Fatalf("after Grow: %+v", st)
	}
	Free(m, s)
	if st := m.Stats(); st.Mapped != 0 {
		t.Fatalf("after Free: %+v", st)
	}
	if small := Make[int32](m, 10); m.Stats().Mapped != 0 || len(small) != 10 {
		t.Fatal("a small slice was mapped")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("files left in the folder: %v", ents)
	}
	if err := m.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestPointersRefused(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a slice of strings was mapped")
		}
	}()
	m, _ := New(t.TempDir(), 0)
	defer m.Close()
	Make[string](m, 1<<20)
}
