package antq

import "testing"

// A form disclosed for comments is decided after its disclosure period.
func TestDecisionAfterDisclosure(t *testing.T) {
	admin := &User{Username: "quantri", Role: RoleAdmin}
	n := &Nomination{State: NominationSubmitted, ProposalDate: MustDate("2026-11-02"),
		DisclosedFrom: MustDate("2026-11-05"), DisclosedTo: MustDate("2026-11-20")}
	today := MustDate("2026-12-03")
	for day, ok := range map[string]bool{"2026-11-10": false, "2026-11-20": false, "2026-11-21": true} {
		_, err := n.CheckStep(admin, NominationDecide, NominationStep{DecisionNumber: "5/QĐ-UBND", DecisionDate: MustDate(day)}, today)
		if ok && err != nil {
			t.Errorf("decided on %s: %v", day, err)
		}
		if !ok && (ErrorCode(err) != EINVALID || ErrorFields(err)["decision_date"] == "") {
			t.Errorf("decided on %s, within the disclosure: %v", day, err)
		}
	}
}
