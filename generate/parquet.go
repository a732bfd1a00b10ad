package generate

import (
	"bufio"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// parquetBatch is the most rows per record batch and row group: large
// enough for good compression, small enough to keep memory flat.
const parquetBatch = 1 << 17

// parquetSink writes the log as Parquet. Low-cardinality columns are Arrow
// dictionaries over fixed value lists (so every row group carries the same
// dictionary), the timestamp is milliseconds in UTC, and a missing
// department or agent is null.
type parquetSink struct {
	mem    memory.Allocator
	buf    *bufio.Writer
	cw     *countingWriter
	fw     *pqarrow.FileWriter
	schema *arrow.Schema
	dicts  [5]arrow.Array // channel, reason, activity, department, agent
	agent0 [nDepts]int    // index of each department's first agent in the agent dictionary

	caseID, customer *array.StringBuilder
	channel, reason  *array.Int8Builder
	activity, dept   *array.Int8Builder
	agent            *array.Int16Builder
	ts               *array.TimestampBuilder
	scratch          []byte
}

func newParquetSink(p *plan, cw *countingWriter, mem memory.Allocator) (*parquetSink, error) {
	s := &parquetSink{mem: mem, cw: cw, buf: bufio.NewWriterSize(cw, 1<<20)}
	var agents []string
	for i, d := range departments {
		s.agent0[i] = len(agents)
		for j := 0; j < d.agents; j++ {
			agents = append(agents, agentName(i, j))
		}
	}
	// The values only the pathologies write are in the dictionaries only
	// when they are on, so that a log without them is as it was.
	acts, depts := Activities(), Departments()
	if p.BurstRate == 0 {
		acts = acts[:actUpdated]
	}
	if p.PlaceholderRate > 0 {
		depts = append(depts, placeholders[:]...)
	}
	for i, values := range [][]string{Channels(), Reasons(), acts, depts, agents} {
		b := array.NewStringBuilder(mem)
		b.AppendValues(values, nil)
		s.dicts[i] = b.NewArray()
		b.Release()
	}
	dict := func(idx arrow.DataType) arrow.DataType {
		return &arrow.DictionaryType{IndexType: idx, ValueType: arrow.BinaryTypes.String}
	}
	cols := Columns(p.Style)
	s.schema = arrow.NewSchema([]arrow.Field{
		{Name: cols[0], Type: arrow.BinaryTypes.String},
		{Name: cols[1], Type: arrow.BinaryTypes.String},
		{Name: cols[2], Type: dict(arrow.PrimitiveTypes.Int8)},
		{Name: cols[3], Type: dict(arrow.PrimitiveTypes.Int8)},
		{Name: cols[4], Type: dict(arrow.PrimitiveTypes.Int8)},
		{Name: cols[5], Type: dict(arrow.PrimitiveTypes.Int8), Nullable: true},
		{Name: cols[6], Type: dict(arrow.PrimitiveTypes.Int16), Nullable: true},
		{Name: cols[7], Type: arrow.FixedWidthTypes.Timestamp_ms},
	}, nil)
	props := parquet.NewWriterProperties(
		parquet.WithAllocator(mem),
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithDictionaryDefault(true),
		parquet.WithDictionaryFor(cols[7], false), // timestamps are nearly unique
		parquet.WithMaxRowGroupLength(parquetBatch),
	)
	fw, err := pqarrow.NewFileWriter(s.schema, s.buf, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		s.releaseDicts()
		return nil, fmt.Errorf("parquet: %w", err)
	}
	s.fw = fw
	s.caseID = array.NewStringBuilder(mem)
	s.customer = array.NewStringBuilder(mem)
	s.channel = array.NewInt8Builder(mem)
	s.reason = array.NewInt8Builder(mem)
	s.activity = array.NewInt8Builder(mem)
	s.dept = array.NewInt8Builder(mem)
	s.agent = array.NewInt16Builder(mem)
	s.ts = array.NewTimestampBuilder(mem, arrow.FixedWidthTypes.Timestamp_ms.(*arrow.TimestampType))
	return s, nil
}

func (s *parquetSink) add(k *kase) error {
	if s.ts.Len()+len(k.events) > parquetBatch { // keep a case in one row group
		if err := s.flush(); err != nil {
			return err
		}
	}
	s.scratch = appendID(s.scratch[:0], 'C', k.no)
	id := string(s.scratch)
	s.scratch = appendID(s.scratch[:0], 'K', k.customer)
	cust := string(s.scratch)
	for _, e := range k.events {
		s.caseID.Append(id)
		s.customer.Append(cust)
		s.channel.Append(int8(k.channel))
		s.reason.Append(int8(k.reason))
		s.activity.Append(int8(e.act))
		if e.dept == noDept {
			s.dept.AppendNull()
			s.agent.AppendNull()
		} else {
			if e.ph > 0 {
				s.dept.Append(nDepts + e.ph - 1)
			} else {
				s.dept.Append(e.dept)
			}
			if e.agent >= 0 {
				s.agent.Append(int16(s.agent0[e.dept] + int(e.agent)))
			} else {
				s.agent.AppendNull()
			}
		}
		s.ts.Append(arrow.Timestamp(e.t))
	}
	return nil
}

// flush writes the buffered rows as one record batch (one row group).
func (s *parquetSink) flush() error {
	n := s.ts.Len()
	if n == 0 {
		return nil
	}
	var cols []arrow.Array
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	cols = append(cols, s.caseID.NewArray(), s.customer.NewArray())
	for i, b := range []array.Builder{s.channel, s.reason, s.activity, s.dept, s.agent} {
		idx := b.NewArray()
		cols = append(cols, array.NewDictionaryArray(s.schema.Field(2+i).Type, idx, s.dicts[i]))
		idx.Release()
	}
	cols = append(cols, s.ts.NewArray())
	rec := array.NewRecord(s.schema, cols, int64(n))
	defer rec.Release()
	if err := s.fw.Write(rec); err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	return s.cw.err
}

func (s *parquetSink) close() error {
	err := s.flush()
	for _, b := range []array.Builder{s.caseID, s.customer, s.channel, s.reason, s.activity, s.dept, s.agent, s.ts} {
		b.Release()
	}
	if cerr := s.fw.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("parquet: %w", cerr)
	}
	s.releaseDicts()
	if ferr := s.buf.Flush(); err == nil {
		err = ferr
	}
	if err == nil {
		err = s.cw.err
	}
	return err
}

func (s *parquetSink) releaseDicts() {
	for _, d := range s.dicts {
		d.Release()
	}
}
