package web

import (
	"net/http"
	"strconv"

	"antq"
	"antq/rules"
	"antq/store"
)

// The registry of models (issue 15 item 2): a unit's models with their
// years, replications and counts, and the plan's registry figures; one
// model's page with its years and replications.

type registryPage struct {
	Layout
	Plan   *rules.Plan
	View   *store.ModelRegistryView
	kinds  []rules.ModelKind
	Entry  *store.RegistryEntry
	PlanID string
}

// KindLabel names a model kind of the plan's rule sets.
func (p registryPage) KindLabel(code string) string {
	for _, k := range p.kinds {
		if k.Code == code {
			return k.Label
		}
	}
	return code
}

// Percent writes counted of existing as a percentage ("—" when none).
func (registryPage) Percent(counted, existing int) string {
	if existing == 0 {
		return "—"
	}
	return rules.Ratio{Num: int64(counted), Den: int64(existing)}.Percent(1)
}

func (s *Server) registryKinds(r *http.Request, plan *rules.Plan) []rules.ModelKind {
	_, cat, err := s.DB.Plan(r.Context(), plan.ID)
	if err != nil {
		return nil
	}
	sets, err := cat.RuleSetsOf(plan)
	if err != nil {
		return nil
	}
	var out []rules.ModelKind
	for _, rs := range sets {
		out = append(out, rs.ModelKinds...)
	}
	return out
}

// registryRender renders page with the plan of the path and what load
// reads for it.
func (s *Server) registryRender(w http.ResponseWriter, r *http.Request, page string, load func(plan *rules.Plan) (registryPage, error)) {
	plan, _, err := s.DB.Plan(r.Context(), r.PathValue("plan"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := load(plan)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Plan, p.PlanID, p.kinds = plan, plan.ID, s.registryKinds(r, plan)
	s.render(w, r, http.StatusOK, page, p)
}

// GET /plans/{plan}/units/{code}/registry
func (s *Server) registryShow(w http.ResponseWriter, r *http.Request) {
	s.registryRender(w, r, "registry", func(plan *rules.Plan) (registryPage, error) {
		v, err := s.DB.ModelRegistryOf(r.Context(), plan.ID, r.PathValue("code"))
		if err != nil {
			return registryPage{}, err
		}
		return registryPage{Layout: s.layout(r, "Sổ mô hình — "+v.UnitName), View: v}, nil
	})
}

// GET /plans/{plan}/models/{id}
func (s *Server) registryModelShow(w http.ResponseWriter, r *http.Request) {
	s.registryRender(w, r, "registry_model", func(plan *rules.Plan) (registryPage, error) {
		id, err := registryID(r)
		if err != nil {
			return registryPage{}, err
		}
		e, err := s.DB.ModelEntry(r.Context(), plan.ID, id)
		if err != nil {
			return registryPage{}, err
		}
		return registryPage{Layout: s.layout(r, "Mô hình — "+e.Name), Entry: e}, nil
	})
}

// registryID is the model's number in the registry, from the path.
func registryID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy mô hình %q trong sổ mô hình", r.PathValue("id"))
	}
	return id, nil
}

// GET /api/v1/plans/{plan}/units/{code}/registry
func (s *Server) apiRegistry(w http.ResponseWriter, r *http.Request) {
	v, err := s.DB.ModelRegistryOf(r.Context(), r.PathValue("plan"), r.PathValue("code"))
	respond(s, w, r, v, err)
}

// GET /api/v1/plans/{plan}/registry/{id}
func (s *Server) apiRegistryModel(w http.ResponseWriter, r *http.Request) {
	id, err := registryID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	e, err := s.DB.ModelEntry(r.Context(), r.PathValue("plan"), id)
	respond(s, w, r, e, err)
}

// earlierModels are the unit's own models of the registry recorded in an
// earlier year and not yet in the plan's: those a new model may continue
// (none when the registry cannot be read).
func (s *Server) earlierModels(r *http.Request, plan *rules.Plan, code string) []*store.RegistryEntry {
	v, err := s.DB.ModelRegistryOf(r.Context(), plan.ID, code)
	if err != nil {
		return nil
	}
	// The unit's own models of earlier years, then those of the units it
	// came from (before a reorganisation), each named with its unit.
	var entries []*store.RegistryEntry
	for _, e := range v.Entries {
		if e.UnitCode == code {
			entries = append(entries, e)
		}
	}
	if before, err := s.DB.PredecessorModels(r.Context(), plan.ID, code); err == nil {
		entries = append(entries, before...)
	}
	var out []*store.RegistryEntry
	seen := map[int64]bool{}
	for _, e := range entries {
		if seen[e.ID] || len(e.Years) == 0 {
			continue
		}
		seen[e.ID] = true
		if last := e.Years[len(e.Years)-1]; last.Year < plan.Year {
			out = append(out, e)
		}
	}
	return out
}
