package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/warehouse"
)

type correctOptions struct {
	page                      string
	agency, region, published string
	year                      int
	note                      string
}

func newCorrectCmd(e *env) *cobra.Command {
	var opts correctOptions
	cmd := &cobra.Command{
		Use:   "correct PAGE [--db FILE] [--agency NAME] [--year Y] [--region CODE|NAME] [--published DATE] [--note TEXT]",
		Short: "Set the agency, year, region or publication date of a loaded report",
		Long: `Set what the extractor read wrong or could not read. PAGE is a report id, a page's sha256,
its URL or file path as loaded, or a saved file (its bytes are the key). The correction is kept in
the database (table corrections, keyed by the page's sha256), applied at once to every stored
report of those bytes, and again at every later load or re-extraction of them (extract --all).
Each report shows what was corrected, and what the page gave, in its corrections column;
nianbao report corrections lists them.`,
		Example: `  nianbao correct saved/pingtan-2021.html --agency 平潭综合实验区管委会 --region 350128
  nianbao correct 42 --year 2019 --note "统计期限 2019年9月至12月"
  nianbao correct https://www.xxmyq.gov.cn/2021.html --published 2022-01-20`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("nianbao correct PAGE --agency NAME", "correct needs one PAGE (report id, sha256, URL or file)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.page = args[0]
			return runCorrect(cmd.Context(), e, opts)
		},
	}
	cmd.Flags().StringVar(&opts.agency, "agency", "", "the publishing agency's `NAME`")
	cmd.Flags().IntVar(&opts.year, "year", 0, "the statistical `YEAR`")
	cmd.Flags().StringVar(&opts.region, "region", "", "the GB/T 2260 region `CODE` or name")
	cmd.Flags().StringVar(&opts.published, "published", "", "the publication `DATE` (YYYY-MM-DD)")
	cmd.Flags().StringVar(&opts.note, "note", "", "why, in your words (`TEXT`)")
	return cmd
}

// overrides turns the flags into corrections of one page.
func overrides(agency string, year int, region, published, note, origin string) []warehouse.Correction {
	var cs []warehouse.Correction
	add := func(field, value string) {
		if value != "" {
			cs = append(cs, warehouse.Correction{Field: field, Value: value, Note: note, Origin: origin})
		}
	}
	add(warehouse.FieldAgency, agency)
	if year != 0 {
		add(warehouse.FieldYear, strconv.Itoa(year))
	}
	add(warehouse.FieldRegion, region)
	add(warehouse.FieldPublished, published)
	return cs
}

func runCorrect(ctx context.Context, e *env, opts correctOptions) error {
	cs := overrides(opts.agency, opts.year, opts.region, opts.published, opts.note, warehouse.OriginCorrect)
	if len(cs) == 0 {
		return usagef("nianbao correct PAGE --agency NAME", "correct: nothing to set (give --agency, --year, --region or --published)")
	}
	for i := range cs {
		cs[i].PageSHA256 = "0000000000000000000000000000000000000000000000000000000000000000"
		if err := cs[i].Validate(); err != nil {
			return usagef("nianbao correct PAGE --year 2021", "%v", err)
		}
	}
	// A saved file names its bytes.
	var fileSHA string
	if body, err := os.ReadFile(opts.page); err == nil {
		sum := sha256.Sum256(body)
		fileSHA = hex.EncodeToString(sum[:])
	}
	_, db, err := e.open(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	pages, err := db.FindPages(ctx, opts.page, fileSHA)
	if err != nil {
		if errors.Is(err, warehouse.ErrNoSuchPage) {
			return fmt.Errorf("correct %s: no report of it is loaded (give a report id, a page sha256, a URL or a saved file; import the file first)", opts.page)
		}
		return err
	}
	var all []warehouse.Correction
	for _, p := range pages {
		for _, c := range cs {
			c.PageSHA256, c.URL = p.SHA256, p.URL
			all = append(all, c)
		}
	}
	n, err := db.Correct(ctx, all)
	if err != nil {
		return err
	}
	for _, p := range pages {
		fmt.Fprintf(e.stdout, "corrected %s (page %s…)\n", p.URL, p.SHA256[:12])
	}
	fmt.Fprintf(e.stdout, "%d corrections stored, %d reports changed; they apply again at every re-extraction\n", len(all), n)
	return nil
}
