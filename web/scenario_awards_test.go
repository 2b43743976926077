package web_test

// Scenarios of commendation: nominations, steps, certificates (issue 15
// items 5–6).

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"antq"
)

// awardWorld: a draft and a decided award inside the scenario users'
// commune, a draft outside it (its person carries the marker).
type awardWorld struct {
	draft, submitted, decided, foreign int64
	// draftDoc is a file of the draft; foreignDoc, of the foreign one;
	// standing, a standing of the users' commune's person.
	draftDoc, foreignDoc, standing int64
}

const awardForm = "giay_khen_chu_tich_xa"

func awardInput(person int64, by string) antq.NominationInput {
	return antq.NominationInput{PlanID: planID, FormCode: awardForm, PersonID: person, NominatedBy: by,
		Reasons: "Tích cực tham gia tuần tra, giữ gìn an ninh, trật tự", Achievements: "Tham gia 120 ca tuần tra năm 2023",
		ProposalNumber: "15/TTr-UBND", ProposalDate: antq.MustDate("2024-01-10"), CouncilOn: antq.MustDate("2024-01-08"), VotesFor: 7, VotesTotal: 9}
}

func (w *world) seedAwards() awardWorld {
	var aw awardWorld
	n, err := w.db.CreateNomination(w.sys, awardInput(w.cases.person, "25195"))
	w.must(err)
	aw.draft = n.ID
	aw.submitted = w.freshNomination(antq.NominationSubmit)
	aw.decided = w.freshNomination(antq.NominationSubmit, antq.NominationDecide)
	f, err := w.db.CreateNomination(w.sys, awardInput(w.cases.foreignPerson, "25200"))
	w.must(err)
	aw.foreign = f.ID
	aw.draftDoc = w.document(aw.draft)
	aw.foreignDoc = w.document(aw.foreign)
	aw.standing = w.freshStanding(w.cases.person)
	return aw
}

// document attaches a PDF tờ trình to nomination id.
func (w *world) document(id int64) int64 {
	d, err := w.db.AddNominationDocument(w.sys, id, antq.DocumentProposal, "to-trinh.pdf", bytes.NewReader(pdf))
	w.must(err)
	return d.ID
}

// freshStanding is a new open disciplinary review of person.
func (w *world) freshStanding(person int64) int64 {
	st, err := w.db.AddStanding(w.sys, person, antq.StandingInput{Standing: antq.StandingDisciplinaryReview, From: antq.MustDate("2024-01-05"),
		Source: fmt.Sprintf("Thông báo số %d/TB-UBND", w.uniq())})
	w.must(err)
	return st.ID
}

// freshNomination is a nomination of a new person of the users' commune,
// taken through the steps given.
func (w *world) freshNomination(steps ...antq.NominationAction) int64 {
	p, err := w.db.CreatePerson(w.sys, antq.PersonInput{UnitCode: inUnit, FullName: fmt.Sprintf("Người được khen %d", w.uniq()), BirthYear: 1975,
		Gender: antq.GenderFemale, Role: "truong_khu_dan_cu"})
	w.must(err)
	n, err := w.db.CreateNomination(w.sys, awardInput(p.ID, "25195"))
	w.must(err)
	for _, s := range steps {
		_, err = w.db.StepNomination(w.sys, n.ID, s, antq.NominationStep{DecisionNumber: "25/QĐ-UBND", DecisionDate: antq.MustDate("2024-02-01")})
		w.must(err)
	}
	return n.ID
}

func (w *world) freshPerson() int64 {
	p, err := w.db.CreatePerson(w.sys, antq.PersonInput{UnitCode: inUnit, FullName: fmt.Sprintf("Người đề nghị %d", w.uniq()), BirthYear: 1980,
		Gender: antq.GenderMale, Role: "cong_dan"})
	w.must(err)
	return p.ID
}

// decides is the status of a decision step: award:decide only.
func decides(ok int) func(a *actor) int {
	return func(a *actor) int {
		if a.user.Can(antq.PermAwardDecide) {
			return ok
		}
		return http.StatusForbidden
	}
}

func awardScenarios() map[string][]variant {
	id := func(f func(aw awardWorld) int64, format string) func(w *world, _ *actor) request {
		return func(w *world, _ *actor) request { return request{path: fmt.Sprintf(format, f(w.awards))} }
	}
	draft := func(aw awardWorld) int64 { return aw.draft }
	decided := func(aw awardWorld) int64 { return aw.decided }
	foreign := func(aw awardWorld) int64 { return aw.foreign }
	dossier := url.Values{"reasons": {"Tích cực tham gia tuần tra"}, "achievements": {"Báo cáo thành tích"}, "proposal_number": {"16/TTr-UBND"},
		"proposal_date": {"2024-01-10"}, "council_on": {"2024-01-08"}, "votes_for": {"6"}, "votes_total": {"9"}}
	return map[string][]variant{
		// The year-end inbox shows what waits for whom.
		"GET /plans/{plan}/inbox": {{name: "awards waiting", ok: 200, build: get("/plans/" + planID + "/inbox"), check: func(t *testing.T, w *world, a *actor, res response) {
			if a.user.Can(antq.PermAwardDecide) {
				wantBody("Hồ sơ khen thưởng chờ xử lý")(t, w, a, res)
			} else {
				lacks("Hồ sơ khen thưởng chờ xử lý")(t, w, a, res)
			}
		}}},
		// The person's page lists the award history.
		"GET /people/{id}": {{name: "award history", ok: 200, build: func(w *world, _ *actor) request { return request{path: fmt.Sprintf("/people/%d", w.cases.person)} },
			check: func(t *testing.T, w *world, a *actor, res response) {
				wantBody("Đang lập hồ sơ")(t, w, a, res)
				wantBody(fmt.Sprintf("/awards/%d", w.awards.draft))(t, w, a, res)
				wantBody("Đang xem xét kỷ luật")(t, w, a, res) // its standing, in scope
				if a.user.Can(antq.PermPersonWrite) {
					wantBody(`action="/people/`+fmt.Sprint(w.cases.person)+`/standings"`)(t, w, a, res)
				} else {
					lacks("Ghi tình trạng")(t, w, a, res)
				}
			}}},
		"GET /awards": {
			{name: "in scope", ok: 200, build: get("/awards?plan=" + planID), check: wantBody("Khen thưởng năm 2023")},
			{name: "a state", ok: 200, build: get("/awards?plan=" + planID + "&state=decided&unit=25195")},
			{name: "another unit's code", out: true, build: get("/awards?plan=" + planID + "&unit=25200")},
		},
		"POST /awards": {
			{name: "in scope", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request {
				return request{path: "/awards", form: url.Values{"plan_id": {planID}, "form_code": {awardForm}, "person_id": {fmt.Sprint(w.freshPerson())},
					"nominated_by": {"25195"}, "reasons": {"Tích cực tham gia tuần tra"}}}
			}},
			{name: "the unit by name", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request {
				return request{path: "/awards", form: url.Values{"plan_id": {planID}, "form_code": {awardForm}, "person_id": {fmt.Sprint(w.freshPerson())},
					"nominated_by": {"phuong tan phu"}, "reasons": {"Tích cực tham gia tuần tra"}}}
			}},
			{name: "a name several units bear", ok: 422, build: func(w *world, _ *actor) request {
				return request{path: "/awards", form: url.Values{"plan_id": {planID}, "form_code": {awardForm}, "person_id": {fmt.Sprint(w.freshPerson())},
					"nominated_by": {"khu phố"}, "reasons": {"Tích cực tham gia tuần tra"}}}
			}, check: wantBody(`name="nominated_by_pick"`)},
			{name: "refused input", ok: 422, build: func(w *world, _ *actor) request {
				return request{path: "/awards", form: url.Values{"plan_id": {planID}, "nominated_by": {"25195"}}}
			}, check: wantBody("chọn hình thức khen thưởng")},
			{name: "another unit nominates", out: true, build: func(w *world, _ *actor) request {
				return request{path: "/awards", form: url.Values{"plan_id": {planID}, "form_code": {awardForm}, "person_id": {fmt.Sprint(w.freshPerson())},
					"nominated_by": {"25200"}, "reasons": {"Tích cực tham gia tuần tra"}}}
			}},
		},
		"GET /awards/{id}": {
			{name: "in scope", ok: 200, build: id(draft, "/awards/%d"), check: func(t *testing.T, w *world, a *actor, res response) {
				wantBody("Nguyễn Văn An")(t, w, a, res)
				wantBody(fmt.Sprintf("/awards/%d/documents/%d", w.awards.draft, w.awards.draftDoc))(t, w, a, res)
				lacks("Công khai danh sách", `name="disclosed_from"`)(t, w, a, res) // the Giấy khen requires no disclosure
			}},
			{name: "foreign id", out: true, build: id(foreign, "/awards/%d")},
		},
		"POST /awards/{id}": {
			{name: "a draft", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d", w.freshNomination()), form: dossier}
			}},
			{name: "decided: locked", ok: http.StatusConflict, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d", w.awards.decided), form: dossier}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d", w.awards.foreign), form: dossier}
			}},
		},
		"POST /awards/{id}/step": {
			{name: "submit", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d/step", w.freshNomination()), form: url.Values{"action": {"submit"}}}
			}},
			{name: "decide", want: decides(http.StatusSeeOther), build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d/step", w.freshNomination(antq.NominationSubmit)),
					form: url.Values{"action": {"decide"}, "decision_number": {"30/QĐ-UBND"}, "decision_date": {"2024-02-10"}}}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d/step", w.awards.foreign), form: url.Values{"action": {"submit"}}}
			}},
		},
		"GET /awards/{id}/certificate": {
			{name: "decided", ok: 200, build: id(decided, "/awards/%d/certificate"), check: wantBody("GIẤY KHEN")},
			{name: "a draft has none", ok: 404, build: id(draft, "/awards/%d/certificate")},
			{name: "foreign id", out: true, build: id(foreign, "/awards/%d/certificate")},
		},
		"GET /api/v1/awards/nominations": {
			{name: "in scope", ok: 200, build: get("/api/v1/awards/nominations?plan=" + planID), check: wantBody("Nguyễn Văn An")},
			{name: "another unit's code", out: true, build: get("/api/v1/awards/nominations?unit=25200")},
		},
		"POST /api/v1/awards/nominations": {
			{name: "in scope", ok: 201, build: func(w *world, _ *actor) request {
				return request{path: "/api/v1/awards/nominations", json: map[string]any{"plan_id": planID, "form_code": awardForm, "person_id": w.freshPerson(),
					"nominated_by": "25195", "reasons": "Tích cực tham gia tuần tra"}}
			}},
			{name: "another unit nominates", out: true, build: func(w *world, _ *actor) request {
				return request{path: "/api/v1/awards/nominations", json: map[string]any{"plan_id": planID, "form_code": awardForm, "person_id": w.freshPerson(),
					"nominated_by": "25200", "reasons": "Tích cực tham gia tuần tra"}}
			}},
		},
		"GET /api/v1/awards/nominations/{id}": {
			{name: "in scope", ok: 200, build: id(draft, "/api/v1/awards/nominations/%d")},
			{name: "foreign id", out: true, build: id(foreign, "/api/v1/awards/nominations/%d")},
		},
		"PUT /api/v1/awards/nominations/{id}": {
			{name: "a draft", ok: 200, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/awards/nominations/%d", w.freshNomination()), json: map[string]any{"reasons": "Lý do mới", "votes_for": 5, "votes_total": 9, "council_on": "2024-01-08"}}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/awards/nominations/%d", w.awards.foreign), json: map[string]any{"reasons": "Lý do mới"}}
			}},
		},
		"POST /api/v1/awards/nominations/{id}/{action}": {
			{name: "submit", ok: 200, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/awards/nominations/%d/submit", w.freshNomination()), json: map[string]any{}}
			}},
			{name: "cancel", want: decides(200), build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/awards/nominations/%d/cancel", w.freshNomination(antq.NominationSubmit, antq.NominationDecide)),
					json: map[string]any{"reason": "Khai không đúng thành tích", "recovery": "Thu hồi giấy khen"}}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/awards/nominations/%d/submit", w.awards.foreign), json: map[string]any{}}
			}},
		},
		"POST /awards/{id}/documents": {
			{name: "a draft", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d/documents", w.freshNomination()), file: &formFile{fields: map[string]string{"kind": "minutes"}, name: "bien-ban.pdf", contents: pdf}}
			}},
			{name: "not a pdf", ok: 422, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d/documents", w.freshNomination()), file: &formFile{fields: map[string]string{"kind": "minutes"}, name: "bien-ban.pdf", contents: jpeg}}
			}, check: wantBody("%PDF-")},
			{name: "submitted: locked", ok: http.StatusConflict, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d/documents", w.awards.submitted), file: &formFile{fields: map[string]string{"kind": "other"}, name: "them.pdf", contents: pdf}}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d/documents", w.awards.foreign), file: &formFile{fields: map[string]string{"kind": "minutes"}, name: "bien-ban.pdf", contents: pdf}}
			}},
		},
		"GET /awards/{id}/documents/{doc}": {
			{name: "in scope", ok: 200, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d/documents/%d", w.awards.draft, w.awards.draftDoc)}
			}, check: wantBody("%PDF-")},
			{name: "another nomination's file", ok: 404, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d/documents/%d", w.awards.draft, w.awards.foreignDoc)}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d/documents/%d", w.awards.foreign, w.awards.foreignDoc)}
			}},
		},
		"POST /awards/{id}/documents/{doc}/delete": {
			{name: "a draft", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request {
				n := w.freshNomination()
				return request{path: fmt.Sprintf("/awards/%d/documents/%d/delete", n, w.document(n)), form: url.Values{}}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/awards/%d/documents/%d/delete", w.awards.foreign, w.awards.foreignDoc), form: url.Values{}}
			}},
		},
		"GET /api/v1/awards/nominations/{id}/documents": {
			{name: "in scope", ok: 200, build: id(draft, "/api/v1/awards/nominations/%d/documents"), check: wantBody("to-trinh.pdf")},
			{name: "foreign id", out: true, build: id(foreign, "/api/v1/awards/nominations/%d/documents")},
		},
		"POST /api/v1/awards/nominations/{id}/documents": {
			{name: "a draft", ok: 201, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/awards/nominations/%d/documents", w.freshNomination()), file: &formFile{fields: map[string]string{"kind": "achievements"}, name: "bao-cao.pdf", contents: pdf}}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/awards/nominations/%d/documents", w.awards.foreign), file: &formFile{fields: map[string]string{"kind": "achievements"}, name: "bao-cao.pdf", contents: pdf}}
			}},
		},
		"GET /api/v1/awards/nominations/{id}/documents/{doc}": {
			{name: "in scope", ok: 200, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/awards/nominations/%d/documents/%d", w.awards.draft, w.awards.draftDoc)}
			}, check: wantBody("%PDF-")},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/awards/nominations/%d/documents/%d", w.awards.foreign, w.awards.foreignDoc)}
			}},
		},
		"DELETE /api/v1/awards/nominations/{id}/documents/{doc}": {
			{name: "a draft", ok: http.StatusNoContent, build: func(w *world, _ *actor) request {
				n := w.freshNomination()
				return request{path: fmt.Sprintf("/api/v1/awards/nominations/%d/documents/%d", n, w.document(n))}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/awards/nominations/%d/documents/%d", w.awards.foreign, w.awards.foreignDoc)}
			}},
		},
		"POST /people/{id}/standings": {
			{name: "in scope", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/people/%d/standings", w.freshPerson()), form: url.Values{"standing": {"prosecuted"}, "from": {"15/01/2024"}, "source": {"Quyết định khởi tố số 3/QĐ"}}}
			}},
			{name: "refused input", ok: 422, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/people/%d/standings", w.freshPerson()), form: url.Values{"standing": {"prosecuted"}}}
			}, check: wantBody("cần căn cứ")},
			{name: "foreign person", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/people/%d/standings", w.cases.foreignPerson), form: url.Values{"standing": {"prosecuted"}, "from": {"15/01/2024"}, "source": {"Quyết định khởi tố số 3/QĐ"}}}
			}},
		},
		"POST /people/{id}/standings/{standing}/close": {
			{name: "in scope", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/people/%d/standings/%d/close", w.cases.person, w.freshStanding(w.cases.person)), form: url.Values{"to": {"20/02/2024"}}}
			}},
			{name: "foreign person", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/people/%d/standings/%d/close", w.cases.foreignPerson, w.awards.standing), form: url.Values{"to": {"20/02/2024"}}}
			}},
		},
		"POST /people/{id}/standings/{standing}/delete": {
			{name: "in scope", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/people/%d/standings/%d/delete", w.cases.person, w.freshStanding(w.cases.person)), form: url.Values{"reason": {"ghi nhầm người"}}}
			}},
			{name: "no reason", ok: 422, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/people/%d/standings/%d/delete", w.cases.person, w.freshStanding(w.cases.person)), form: url.Values{"reason": {" "}}}
			}},
			{name: "foreign person", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/people/%d/standings/%d/delete", w.cases.foreignPerson, w.awards.standing), form: url.Values{"reason": {"ghi nhầm"}}}
			}},
		},
		"POST /api/v1/people/{id}/standings/{standing}/delete": {
			{name: "in scope", ok: 204, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/people/%d/standings/%d/delete", w.cases.person, w.freshStanding(w.cases.person)), json: map[string]any{"reason": "ghi nhầm quyết định"}}
			}},
			{name: "foreign person", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/people/%d/standings/%d/delete", w.cases.foreignPerson, w.awards.standing), json: map[string]any{"reason": "ghi nhầm"}}
			}},
		},
		"GET /api/v1/people/{id}/standings": {
			{name: "in scope", ok: 200, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/people/%d/standings", w.cases.person)}
			}, check: wantBody("disciplinary_review")},
			{name: "foreign person", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/people/%d/standings", w.cases.foreignPerson)}
			}},
		},
		"POST /api/v1/people/{id}/standings": {
			{name: "in scope", ok: 201, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/people/%d/standings", w.freshPerson()), json: map[string]any{"standing": "dismissed", "from": "2024-01-20", "source": "Quyết định số 8/QĐ"}}
			}},
			{name: "foreign person", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/people/%d/standings", w.cases.foreignPerson), json: map[string]any{"standing": "dismissed", "from": "2024-01-20", "source": "Quyết định số 8/QĐ"}}
			}},
		},
		"POST /api/v1/people/{id}/standings/{standing}/close": {
			{name: "in scope", ok: 200, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/people/%d/standings/%d/close", w.cases.person, w.freshStanding(w.cases.person)), json: map[string]any{"to": "2024-02-20"}}
			}},
			{name: "foreign person", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/people/%d/standings/%d/close", w.cases.foreignPerson, w.awards.standing), json: map[string]any{"to": "2024-02-20"}}
			}},
		},
		"GET /api/v1/awards/suggestions": {
			{name: "in scope", ok: 200, build: get("/api/v1/awards/suggestions?plan=" + planID)},
			{name: "another unit's code", out: true, build: get("/api/v1/awards/suggestions?plan=" + planID + "&unit=25200")},
		},
	}
}
