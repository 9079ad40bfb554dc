package warehouse_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/nianbao/nianbao/queries"
	"github.com/nianbao/nianbao/warehouse"
)

func TestZZTime(t *testing.T) {
	path := os.Getenv("TIME_DB")
	if path == "" {
		t.Skip()
	}
	ctx := context.Background()
	db, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range queries.All() {
		best := time.Hour
		rows := 0
		for range 3 {
			start := time.Now()
			res, err := db.Run(ctx, q.Name, nil)
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d < best {
				best = d
			}
			rows = len(res.Rows)
		}
		fmt.Printf("| %s | %d | %s |\n", q.Name, rows, best.Round(time.Millisecond))
	}
	start := time.Now()
	res, err := db.Check(ctx, warehouse.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("| Check (all, read-only) | %d | %s |\n", len(res.Rows), time.Since(start).Round(time.Millisecond))
}
