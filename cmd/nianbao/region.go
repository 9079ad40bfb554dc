package main

import (
	"github.com/nianbao/nianbao/regions"
)

// regionFilter turns a --region value (a GB/T 2260 code, a prefix of one,
// or a region's name: 3501, 350100, 福州市, 福州, 福州市鼓楼区) into the code
// prefix filters match with, so a city includes its counties. Digits no
// region has are kept as the prefix they are.
func regionFilter(value string) (string, error) {
	if value == "" {
		return "", nil
	}
	r, err := regions.Lookup(value)
	if err != nil {
		if isCodePrefix(value) {
			return value, nil
		}
		return "", usagef("--region 3501 or --region 福州市", "--region: %v", err)
	}
	return r.Prefix(), nil
}

// regionCode turns a --region value into the six-digit code a report is
// stored with; six digits no region has (a code retired before 2023) are
// kept as given.
func regionCode(value string) (string, error) {
	if value == "" {
		return "", nil
	}
	if sixDigits.MatchString(value) {
		return value, nil
	}
	r, err := regions.Lookup(value)
	if err != nil {
		return "", usagef("--region 410711 or --region 新乡市牧野区", "--region: %v", err)
	}
	return r.Code, nil
}

func isCodePrefix(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != "" && len(s) <= 6
}
