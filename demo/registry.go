package demo

import (
	"context"
	"fmt"
	"slices"

	"antq"
	"antq/store"
)

// RegistryResult counts what LoadRegistry recorded.
type RegistryResult struct {
	Origins, Replications int
}

// registryReplicas is how many models replicate each of the demo's model
// origins, the commune models first taken up elsewhere.
var registryReplicas = []int{5, 3, 2, 2, 1}

// LoadRegistry records in the registry of models of Bình Phước 2023 that
// some models replicate (nhân rộng) an effective commune model: five
// origins in the communes of YearEndDistrict and elsewhere, each taken up
// by models of the same kind in other units (residential areas and
// communes across the districts), so that the registry's counts roll up.
// Only approved models are touched (the approvals demo keeps its submitted
// and returned ones). It does nothing when a model already replicates
// another.
func LoadRegistry(ctx context.Context, db *store.DB) (RegistryResult, bool, error) {
	var res RegistryResult
	v, err := db.ModelRegistryOf(ctx, PlanID, "")
	if err != nil {
		return res, false, err
	}
	for _, e := range v.Entries {
		if e.Replicates != nil {
			return res, false, nil
		}
	}
	units, err := db.PlanTreeUnits(ctx, PlanID)
	if err != nil {
		return res, false, err
	}
	kind := map[string]antq.UnitKind{}
	for _, u := range units {
		kind[u.Code] = u.Kind
	}
	// this is an entry's 2023 record, when approved.
	this := func(e *store.RegistryEntry) *store.RegistryYear {
		for i := range e.Years {
			if y := &e.Years[i]; y.PlanID == PlanID && y.State == antq.FactApproved {
				return y
			}
		}
		return nil
	}
	entries := slices.Clone(v.Entries)
	slices.SortFunc(entries, func(a, b *store.RegistryEntry) int { return int(a.ID - b.ID) })
	var origins []*store.RegistryEntry
	for _, e := range entries {
		if y := this(e); y != nil && kind[e.UnitCode] == antq.KindCommune && y.Effective && y.Status != antq.ModelNew &&
			len(origins) < len(registryReplicas) && !slices.ContainsFunc(origins, func(o *store.RegistryEntry) bool { return o.Kind == e.Kind && o.UnitCode == e.UnitCode }) {
			origins = append(origins, e)
		}
	}
	used := map[int64]bool{}
	for _, o := range origins {
		used[o.ID] = true
	}
	for i, o := range origins {
		var candidates []*store.RegistryEntry
		for _, e := range entries {
			if !used[e.ID] && e.Kind == o.Kind && e.UnitCode != o.UnitCode && this(e) != nil && !e.StartedOn.Before(o.StartedOn) {
				candidates = append(candidates, e)
			}
		}
		// Spread the replicas over the province: every stride-th candidate.
		want := registryReplicas[i]
		stride := max(1, len(candidates)/max(1, want))
		n := 0
		for j := 0; j < len(candidates) && n < want; j += stride {
			e := candidates[j]
			y := this(e)
			if _, err := db.UpdateModel(ctx, PlanID, y.UnitCode, y.ModelID, antq.ModelInput{Replicates: &o.ID}); err != nil {
				return res, false, fmt.Errorf("demo registry: %s replicates %s: %w", e.Name, o.Name, err)
			}
			used[e.ID] = true
			n++
		}
		if n > 0 {
			res.Origins++
			res.Replications += n
		}
	}
	return res, true, nil
}
