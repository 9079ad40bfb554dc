package tmpdeps

import (
	_ "github.com/PuerkitoBio/goquery"
	_ "github.com/duckdb/duckdb-go/v2"
	_ "github.com/gocolly/colly/v2"
	_ "github.com/mattn/go-runewidth"
	_ "github.com/nlnwa/gowarc/v2"
	_ "github.com/robfig/cron/v3"
	_ "github.com/spf13/cobra"
	_ "golang.org/x/net/html"
	_ "golang.org/x/term"
	_ "golang.org/x/text/encoding/simplifiedchinese"
	_ "golang.org/x/text/unicode/norm"
	_ "gopkg.in/yaml.v3"
)
