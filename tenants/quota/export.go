package quota

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/trangtin/trangtin/platform/errs"
)

// Format is an output format of the report.
type Format string

// The report's formats.
const (
	FormatJSON Format = "json"
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
	FormatHTML Format = "html"
)

// ParseFormat reads a format name; empty is JSON.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case "":
		return FormatJSON, nil
	case FormatJSON, FormatCSV, FormatXLSX, FormatHTML:
		return f, nil
	}
	return "", errs.Invalid("format", "format_invalid", "Định dạng phải là json, csv, xlsx hoặc html")
}

// ContentType is the MIME type of the format.
func (f Format) ContentType() string {
	switch f {
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case FormatHTML:
		return "text/html; charset=utf-8"
	}
	return "application/json; charset=utf-8"
}

// FileName is the download name: "bao-cao-chi-tieu-so-ldtbxh-2026-11.xlsx".
func FileName(r *Report, f Format) string {
	return fmt.Sprintf("bao-cao-chi-tieu-%s-%s.%s", r.Parent.Slug, r.Month, f)
}

// Write renders r in format f to w.
func Write(w io.Writer, r *Report, f Format, opts LetterOptions) error {
	switch f {
	case FormatCSV:
		return WriteCSV(w, r)
	case FormatXLSX:
		return WriteXLSX(w, r)
	case FormatHTML:
		return WriteHTML(w, r, opts)
	}
	return WriteJSON(w, r)
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write report json: %w", err)
	}
	return nil
}

// WriteCSV writes one row per contributor under Vietnamese headings, UTF-8
// with a byte-order mark so that Excel reads the diacritics.
func WriteCSV(w io.Writer, r *Report) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("write report csv: %w", err)
	}
	cw := csv.NewWriter(w)
	_ = cw.Write(csvHead(r))
	for i := range r.Contributors {
		_ = cw.Write(csvRow(r, i))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write report csv: %w", err)
	}
	return nil
}

// Fill returns the colour of a week state in tables (the state's text is
// always beside it: colour is never the only sign).
func (s State) Fill() string {
	switch s {
	case StateMet:
		return "#C6EFCE"
	case StateMissed:
		return "#FFC7CE"
	case StateOpen:
		return "#FFEB9C"
	case stateUpcoming:
		return "#F5F5F5"
	}
	return "#E7E6E6"
}

// uncoveredFill shades the fields no contributor covered.

const uncoveredFill = "#FCE4D6"

// WriteXLSX writes the report as a workbook: one sheet per part, Vietnamese
// headings, the title and heading rows frozen and repeated on every printed
// page, A4 paper fitted to the page width.
func WriteXLSX(w io.Writer, r *Report) error {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, t := range tables(r) {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", t.Sheet); err != nil {
				return fmt.Errorf("xlsx: %w", err)
			}
		} else if _, err := f.NewSheet(t.Sheet); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
		if err := writeSheet(f, st, t); err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", t.Sheet, err)
		}
	}
	_ = f.SetDocProps(&excelize.DocProperties{Title: "Báo cáo chỉ tiêu " + r.Period.Label, Creator: "Trangtin", Language: "vi-VN"})
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

type styles struct {
	title, head, uncovered int
	state                  map[State]int
}

func newStyles(f *excelize.File) (*styles, error) {
	s := &styles{state: map[State]int{}}
	border := []excelize.Border{{Type: "left", Color: "#999999", Style: 1}, {Type: "right", Color: "#999999", Style: 1},
		{Type: "top", Color: "#999999", Style: 1}, {Type: "bottom", Color: "#999999", Style: 1}}
	var err error
	if s.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}}); err != nil {
		return nil, fmt.Errorf("xlsx style: %w", err)
	}
	if s.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Color: []string{"#DDEBF7"}, Pattern: 1},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}}); err != nil {
		return nil, fmt.Errorf("xlsx style: %w", err)
	}
	if s.uncovered, err = f.NewStyle(&excelize.Style{Border: border,
		Fill: excelize.Fill{Type: "pattern", Color: []string{uncoveredFill}, Pattern: 1}}); err != nil {
		return nil, fmt.Errorf("xlsx style: %w", err)
	}
	for _, state := range []State{StateMet, StateMissed, StateOpen, StateExempt, stateUpcoming} {
		if s.state[state], err = f.NewStyle(&excelize.Style{Border: border,
			Fill: excelize.Fill{Type: "pattern", Color: []string{state.Fill()}, Pattern: 1}}); err != nil {
			return nil, fmt.Errorf("xlsx style: %w", err)
		}
	}
	return s, nil
}

func writeSheet(f *excelize.File, st *styles, t table) error {
	sh := t.Sheet
	if err := f.SetCellValue(sh, "A1", t.Title); err != nil {
		return err
	}
	_ = f.SetCellStyle(sh, "A1", "A1", st.title)
	head := make([]any, len(t.Head))
	for i, h := range t.Head {
		head[i] = h
	}
	if err := f.SetSheetRow(sh, "A2", &head); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(t.Head))
	_ = f.SetCellStyle(sh, "A2", last+"2", st.head)
	_ = f.SetRowHeight(sh, 2, 45)
	for i, row := range t.Rows {
		vals := make([]any, len(row))
		for j, c := range row {
			vals[j] = c.V
		}
		ref := fmt.Sprintf("A%d", i+3)
		if err := f.SetSheetRow(sh, ref, &vals); err != nil {
			return err
		}
		for j, c := range row {
			name, _ := excelize.CoordinatesToCellName(j+1, i+3)
			switch {
			case c.State != "":
				_ = f.SetCellStyle(sh, name, name, st.state[c.State])
			case t.Highlight[j]:
				_ = f.SetCellStyle(sh, name, name, st.uncovered)
			}
		}
	}
	for j := range t.Head {
		col, _ := excelize.ColumnNumberToName(j + 1)
		width := 14.0
		switch {
		case j == 0:
			width = 6
		case j == 1 || t.Head[j] == "Tiêu đề":
			width = 36
		}
		_ = f.SetColWidth(sh, col, col, width)
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 2, TopLeftCell: "C3", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	size, fit, zero, orient := 9, 1, 0, "portrait"
	if t.Landscape {
		orient = "landscape"
	}
	yes := true
	_ = f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &yes})
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fit, FitToHeight: &zero}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$2", sh), Scope: sh})
}
