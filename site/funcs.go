package site

import (
	"html/template"
	"strconv"
)

var funcs = template.FuncMap{
	"sevName":  func(s string) string { return severityNames[s] },
	"ruleName": ruleName,
	"levelName": func(s string) string {
		return levelNames[s]
	},
	"reportHref": func(id int64) string { return "../" + reportPath(id) },
	"yearText":   func(y int64) string { return strconv.FormatInt(y, 10) },
	"add":        func(a, b int) int { return a + b },
	"gridBody":   gridBody,
}
