package yearend_test

import (
	"testing"

	"antq"
	"antq/yearend"
)

func TestWorkflow(t *testing.T) {
	for _, tt := range []struct {
		from yearend.State
		a    yearend.Action
		to   yearend.State
		ok   bool
	}{
		{yearend.Draft, yearend.Submit, yearend.Submitted, true},
		{yearend.Returned, yearend.Submit, yearend.Submitted, true},
		{yearend.Submitted, yearend.Review, yearend.Reviewed, true},
		{yearend.Submitted, yearend.Return, yearend.Returned, true},
		{yearend.Reviewed, yearend.Return, yearend.Returned, true},
		{yearend.Reviewed, yearend.Decide, yearend.Decided, true},
		{yearend.Decided, yearend.Reopen, yearend.Draft, true},
		{yearend.Draft, yearend.Decide, yearend.Draft, false},
		{yearend.Submitted, yearend.Decide, yearend.Submitted, false},
		{yearend.Decided, yearend.Submit, yearend.Decided, false},
		{yearend.Decided, yearend.Return, yearend.Decided, false},
		{yearend.Draft, yearend.Reopen, yearend.Draft, false},
	} {
		got, err := yearend.Next(tt.from, tt.a)
		if (err == nil) != tt.ok || got != tt.to {
			t.Errorf("Next(%s, %s) = %s, %v; want %s ok=%v", tt.from, tt.a, got, err, tt.to, tt.ok)
		}
	}
	if yearend.Decided.Editable() || yearend.Reviewed.Editable() || !yearend.Draft.Editable() {
		t.Error("only draft, returned and submitted dossiers may change")
	}
}

func TestResultIsConjunctive(t *testing.T) {
	M, N, U, P := yearend.Met, yearend.NotMet, yearend.Unknown, yearend.Pending
	for _, tt := range []struct {
		in   []yearend.Verdict
		want antq.RecognitionResult
	}{
		{[]yearend.Verdict{M, M, M}, antq.RecognitionMet},
		{[]yearend.Verdict{M, N, M}, antq.RecognitionNotMet},
		{[]yearend.Verdict{M, U, M}, ""},
		{[]yearend.Verdict{U, N}, antq.RecognitionNotMet},
		{[]yearend.Verdict{M, P}, ""},
	} {
		if got := yearend.Result(tt.in); got != tt.want {
			t.Errorf("Result(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDeadlineStrictlyBefore(t *testing.T) {
	// "Trước ngày 20/11" for residential areas: the last day is 19/11.
	sets := loadSets(t)
	d := yearend.Deadline(sets, yearend.DossierGrading, antq.KindResidentialArea, 2023, antq.MustDate("2023-11-15"), false)
	if d == nil || d.Due != antq.MustDate("2023-11-19") || d.Late || !d.DueSoon || d.DaysLeft != 4 {
		t.Fatalf("deadline on 15/11 = %+v", d)
	}
	if d := yearend.Deadline(sets, yearend.DossierGrading, antq.KindResidentialArea, 2023, antq.MustDate("2023-11-20"), false); !d.Late {
		t.Fatal("20/11 is late")
	}
	if d := yearend.Deadline(sets, yearend.DossierGrading, antq.KindResidentialArea, 2023, antq.MustDate("2023-12-20"), true); d.Late {
		t.Fatal("a decided dossier is never late")
	}
	if d := yearend.Deadline(sets, yearend.DossierGrading, antq.KindCommune, 2023, antq.MustDate("2023-11-01"), false); d.Due != antq.MustDate("2023-11-29") || d.DueSoon {
		t.Fatalf("commune deadline = %+v", d)
	}
}
