package warehouse

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed agency_renames.tsv
var renamesData string

// Kinds of rule in agency_renames.tsv.
const (
	renameKind = "rename" // same body, new name: one agency id
	mergeKind  = "merge"  // absorbed into another body: merged_into names it
)

type renameRule struct{ old, new, kind string }

var (
	renamesOnce sync.Once
	renameRules []renameRule // longest old suffix first
)

func loadRenames() []renameRule {
	renamesOnce.Do(func() {
		for n, line := range strings.Split(renamesData, "\n") {
			line, _, _ = strings.Cut(line, "#")
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			f := strings.Fields(line)
			if len(f) != 3 || (f[2] != renameKind && f[2] != mergeKind) {
				panic(fmt.Sprintf("warehouse: agency_renames.tsv line %d: %q", n+1, line))
			}
			renameRules = append(renameRules, renameRule{f[0], f[1], f[2]})
		}
		sort.SliceStable(renameRules, func(i, j int) bool { return len(renameRules[i].old) > len(renameRules[j].old) })
	})
	return renameRules
}

// ruleFor returns the rule for a normalised name, if one applies.
func ruleFor(norm string) (renameRule, bool) {
	for _, r := range loadRenames() {
		if strings.HasSuffix(norm, r.old) && !strings.HasSuffix(norm, r.new) {
			return r, true
		}
	}
	return renameRule{}, false
}

// CanonicalAgency returns the key under which an agency's names across
// the reforms meet (agency_renames.tsv): the normalised name, with a
// renamed body's old name ending replaced by its new one
// (福州市环境保护局 → 福州市生态环境局). A merged-away body keeps its own
// name: see [MergedInto].
func CanonicalAgency(name string) string {
	norm := NormalizeAgency(name)
	if r, ok := ruleFor(norm); ok && r.kind == renameKind {
		return strings.TrimSuffix(norm, r.old) + r.new
	}
	return norm
}

// MergedInto returns the canonical name of the body an agency was merged
// into (福州市旅游局 → 福州市文化和旅游局), "" when it was not.
func MergedInto(name string) string {
	norm := NormalizeAgency(name)
	if r, ok := ruleFor(norm); ok && r.kind == mergeKind {
		return strings.TrimSuffix(norm, r.old) + r.new
	}
	return ""
}
