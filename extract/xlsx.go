package extract

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// XLSX: every sheet is a table; merged ranges are its spanning cells.
// Values are read raw (as stored, not through the cell's number format,
// which may round what the agency typed).

// Limits on hostile workbooks.
const (
	maxSheets    = 32
	maxSheetRows = 2000
)

func readXLSX(body []byte) (*page, error) {
	f, err := excelize.OpenReader(bytes.NewReader(body), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    maxZipEntryBytes * 4,
		UnzipXMLSizeLimit: maxZipEntryBytes,
	})
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	defer f.Close()
	p := &page{}
	for si, sheet := range f.GetSheetList() {
		if si >= maxSheets {
			break
		}
		if err := readSheet(p, f, sheet); err != nil {
			return nil, fmt.Errorf("sheet %q: %w", sheet, err)
		}
	}
	return p, nil
}

func readSheet(p *page, f *excelize.File, sheet string) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	var grid [][]string
	for rows.Next() && len(grid) < maxSheetRows {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return err
		}
		grid = append(grid, cols[:min(len(cols), maxCols)])
	}
	if len(grid) == 0 {
		return nil
	}
	merges, err := f.GetMergeCells(sheet)
	if err != nil {
		return err
	}
	// covered[r][c] is true for the slots a merge covers beyond its top-left.
	covered := map[[2]int]bool{}
	var cells []gridCell
	width := 0
	for _, m := range merges {
		c0, r0, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c1, r1, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		r0, c0, r1, c1 = r0-1, c0-1, min(r1-1, len(grid)-1), min(c1-1, maxCols-1)
		if r0 < 0 || c0 < 0 || r0 > r1 || c0 > c1 || (r1-r0+1)*(c1-c0+1) > maxSlots/16 {
			continue
		}
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				if r != r0 || c != c0 {
					covered[[2]int{r, c}] = true
				}
			}
		}
		cells = append(cells, gridCell{r0: r0, c0: c0, r1: r1, c1: c1, text: m.GetCellValue()})
		width = max(width, c1+1)
	}
	merged := map[[2]int]bool{}
	for _, c := range cells {
		merged[[2]int{c.r0, c.c0}] = true
	}
	for r, row := range grid {
		// Trailing empty cells are not part of the table.
		for len(row) > 0 && row[len(row)-1] == "" && !covered[[2]int{r, len(row) - 1}] && !merged[[2]int{r, len(row) - 1}] {
			row = row[:len(row)-1]
		}
		width = max(width, len(row))
	}
	for r, row := range grid {
		for c := 0; c < width; c++ {
			k := [2]int{r, c}
			if covered[k] || merged[k] {
				continue
			}
			v := ""
			if c < len(row) {
				v = row[c]
			}
			cells = append(cells, gridCell{r0: r, c0: c, r1: r, c1: c, text: v})
		}
	}
	emitGrid(p, cells, len(grid), width)
	return nil
}
