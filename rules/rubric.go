package rules

import (
	"fmt"
	"slices"

	"antq"
)

// Grade is the year-end classification of a unit in the movement; the rule
// files use the domain's codes.
type Grade = antq.Grade

const (
	GradeExcellent = antq.GradeExcellent // Xuất sắc
	GradeGood      = antq.GradeGood      // Khá
	GradeAverage   = antq.GradeAverage   // Trung bình
	GradeWeak      = antq.GradeWeak      // Yếu
)

// Grades lists the grades from best to worst.
var Grades = antq.Grades

// Rubric is the points table (100 points) for units of UnitKinds.
type Rubric struct {
	ID        string          `json:"id" rules:"required"`
	Title     string          `json:"title" rules:"required"`
	UnitKinds []antq.UnitKind `json:"unit_kinds" rules:"required"`
	Ref       string          `json:"ref" rules:"required"`
	Note      string          `json:"note,omitempty"`
	Items     []RubricItem    `json:"items" rules:"required"`

	bands []GradeBand
	gates []Gate
}

// RubricItem is one line of a rubric with its maximum ("điểm chuẩn"). An
// item with sub-items has a maximum equal to their sum.
type RubricItem struct {
	ID        string      `json:"id" rules:"required"`
	Title     string      `json:"title" rules:"required"`
	MaxPoints antq.Tenths `json:"max_points" rules:"required"`
	Citation
	Items []RubricItem `json:"items,omitempty"`
}

// GradeBand gives Grade to totals from MinPoints up to the next band's
// minimum. Bands are listed from the best grade down; the last starts at 0.
type GradeBand struct {
	Grade     Grade       `json:"grade" rules:"required"`
	Label     string      `json:"label" rules:"required"`
	MinPoints antq.Tenths `json:"min_points" rules:"required"`
	Citation
}

// GateCondition is a condition a grade requires besides the points.
type GateCondition string

// GateRecognised: the unit is recognised "An toàn về an ninh, trật tự" for
// the year.
const GateRecognised GateCondition = "recognised"

// Gate withholds Grade from units of UnitKinds (all kinds when empty) that do
// not meet Condition; they get the best lower grade their points allow.
type Gate struct {
	ID        string          `json:"id" rules:"required"`
	Title     string          `json:"title" rules:"required"`
	Grade     Grade           `json:"grade" rules:"required"`
	Condition GateCondition   `json:"condition" rules:"required"`
	UnitKinds []antq.UnitKind `json:"unit_kinds,omitempty"`
	Citation
}

// Total is the sum of the top-level maxima (100.0 in a valid rubric).
func (r *Rubric) Total() antq.Tenths {
	var t antq.Tenths
	for _, it := range r.Items {
		t += it.MaxPoints
	}
	return t
}

// Item returns the item (at any depth) with the given id.
func (r *Rubric) Item(id string) (*RubricItem, bool) {
	var find func(items []RubricItem) *RubricItem
	find = func(items []RubricItem) *RubricItem {
		for i := range items {
			if items[i].ID == id {
				return &items[i]
			}
			if it := find(items[i].Items); it != nil {
				return it
			}
		}
		return nil
	}
	it := find(r.Items)
	return it, it != nil
}

// Bands returns the grade bands the rubric grades with, best first.
func (r *Rubric) Bands() []GradeBand { return r.bands }

// Grade classifies a reviewed total: the best band whose minimum the total
// reaches and whose gates the unit passes. The reasons, in Vietnamese, say
// why (and when the threshold or gate is unverified). A total outside 0 to
// the rubric's maximum gives "" (not graded).
func (r *Rubric) Grade(total antq.Tenths, recognised bool) (Grade, []string) {
	if len(r.bands) == 0 {
		return "", []string{"Bảng điểm chưa có ngưỡng xếp loại."}
	}
	if total < 0 || total > r.Total() {
		return "", []string{fmt.Sprintf("Tổng điểm %s nằm ngoài khoảng 0–%s.", total.VN(), r.Total().VN())}
	}
	var reasons []string
	for _, b := range r.bands {
		if total < b.MinPoints {
			continue
		}
		if g, blocked := r.blockedBy(b.Grade, recognised); blocked {
			reasons = append(reasons, fmt.Sprintf("Tổng điểm %s đạt ngưỡng %s (%s) nhưng không đáp ứng điều kiện: %s%s.",
				total.VN(), b.MinPoints.VN(), b.Label, g.Title, unverified(g.Verified)))
			continue
		}
		reasons = append(reasons, fmt.Sprintf("Tổng điểm %s ≥ %s: %s%s.",
			total.VN(), b.MinPoints.VN(), b.Label, unverified(b.Verified)))
		return b.Grade, reasons
	}
	return "", append(reasons, "Không có loại nào phù hợp.")
}

// blockedBy returns the first gate that withholds grade from this rubric's
// units.
func (r *Rubric) blockedBy(grade Grade, recognised bool) (*Gate, bool) {
	for i := range r.gates {
		g := &r.gates[i]
		if g.Grade != grade || !g.appliesTo(r.UnitKinds) {
			continue
		}
		if g.Condition == GateRecognised && !recognised {
			return g, true
		}
	}
	return nil, false
}

func (g *Gate) appliesTo(kinds []antq.UnitKind) bool {
	if len(g.UnitKinds) == 0 {
		return true
	}
	for _, k := range kinds {
		if slices.Contains(g.UnitKinds, k) {
			return true
		}
	}
	return false
}

func unverified(verified bool) string {
	if verified {
		return ""
	}
	return " (quy định chưa đối chiếu văn bản)"
}
