#!/usr/bin/env bash
# Regenerates the attachment fixtures from the HTML fixtures beside them:
#   full-2021.pdf            portrait A4, as Chromium prints the page
#   full-2019.landscape.pdf  landscape, large type: tables split over pages,
#                            with Chromium's header and footer (page numbers)
#                            printed in the middle of a table
#   full-2021.borderless.pdf, full-2019.hrules.pdf: the same without rules (below)
# Needs Debian chromium and fonts-noto-cjk. Run from this directory.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chrome() {
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp/profile" "$@" 2>/dev/null
}
style() { # $1 html, $2 css, $3 out
  sed "s|</head>|<style>$2</style></head>|" "$1" > "$3"
  grep -q "<style>$2" "$3" || { printf '<style>%s</style>' "$2"; cat "$1"; } > "$3"
}
style ../full-2021.html 'table{border-collapse:collapse}td,th{border:1px solid #000}' "$tmp/p.html"
chrome --no-pdf-header-footer --print-to-pdf=full-2021.pdf "file://$tmp/p.html"
style ../full-2019.html '@page{size:A4 landscape}body{font-size:15pt}table{border-collapse:collapse}td,th{border:1px solid #000;padding:5px}' "$tmp/l.html"
chrome --print-to-pdf=full-2019.landscape.pdf "file://$tmp/l.html"

# The same pages printed without their tables' rules, as many agencies'
# PDFs come (read by extract/unruled.go):
#   full-2021.borderless.pdf  no borders at all
#   full-2019.hrules.pdf      landscape, a rule under each row and the table's
#                             frame only (no column rules), page headers/footers
style ../full-2021.html 'table,td,th{border:none!important}' "$tmp/b.html"
chrome --no-pdf-header-footer --print-to-pdf=full-2021.borderless.pdf "file://$tmp/b.html"
style ../full-2019.html '@page{size:A4 landscape}body{font-size:15pt}table{border-collapse:collapse}td,th{border:none;border-top:1px solid #000;border-bottom:1px solid #000;padding:5px}' "$tmp/h.html"
chrome --print-to-pdf=full-2019.hrules.pdf "file://$tmp/h.html"

# scan.pdf: a report page as an image only (no text layer), as a scanner
# makes it: a screenshot of the page's tables printed to PDF.
chrome --window-size=700,500 --screenshot="$tmp/shot.png" "file://$tmp/p.html"
printf '<html><body style="margin:0"><img style="width:100%%" src="data:image/png;base64,%s"></body></html>' "$(base64 -w0 "$tmp/shot.png")" > "$tmp/scan.html"
chrome --no-pdf-header-footer --print-to-pdf=scan.pdf "file://$tmp/scan.html"
ls -la scan.pdf
# DOCX and XLSX with real merged cells (w:gridSpan/w:vMerge, mergeCells),
# and their legacy binary forms for the converter, by LibreOffice
# (Debian libreoffice-writer-nogui, libreoffice-calc-nogui).
lo() { soffice --headless "-env:UserInstallation=file://$tmp/lo" "$@" >/dev/null 2>&1; }
cp ../full-2021.html "$tmp/full-2021.word.html"
cp ../full-2019.html "$tmp/full-2019.calc.html"
lo --infilter="HTML (StarWriter)" --convert-to 'docx:MS Word 2007 XML' --outdir . "$tmp/full-2021.word.html"
lo --infilter="HTML (StarCalc)" --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir . "$tmp/full-2019.calc.html"
mkdir -p legacy
lo --infilter="HTML (StarWriter)" --convert-to 'doc:MS Word 97' --outdir legacy "$tmp/full-2021.word.html"
lo --infilter="HTML (StarCalc)" --convert-to 'xls:MS Excel 97' --outdir legacy "$tmp/full-2019.calc.html"
ls -la . legacy
