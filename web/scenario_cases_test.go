package web_test

// Scenarios of people, exemplary cases and the public page (issue 15).

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"antq"
)

var jpeg = append([]byte("\xFF\xD8\xFF\xE0"), bytes.Repeat([]byte{0}, 60)...)

const (
	inNationalID  = "070000000001"
	outNationalID = "070000000002"
	publishedName = "Gương đã công bố của Khu phố 1"
	draftName     = "Gương chưa công bố của Khu phố 1"
)

// caseWorld is what the case scenarios act on: a person and cases inside
// the scenario users' commune, and a person and a case (unpublished,
// carrying the marker) outside it.
type caseWorld struct {
	person, foreignPerson    int64
	published, draft         int64
	publishedPhoto, draftPic int64
	foreignCase              int64
}

var caseStory = strings.Repeat("Ông đã phát hiện và cùng bà con khống chế đối tượng trộm cắp tài sản. ", 2)

func caseForm(code string) url.Values {
	return url.Values{"unit_code": {code}, "subject": {"collective"}, "title": {"Khu phố tự quản tốt"}, "deed": {"Giữ gìn an ninh trật tự suốt năm 2023"},
		"occurred_on": {"2023-06-12"}, "place": {"Khu phố 1"}, "story": {caseStory}, "source": {"Công an phường"}}
}

func caseJSON(code string) map[string]any {
	return map[string]any{"unit_code": code, "subject": "collective", "title": "Khu phố tự quản tốt", "deed": "Giữ gìn an ninh trật tự suốt năm 2023",
		"occurred_on": "2023-06-12", "place": "Khu phố 1", "story": caseStory, "source": "Công an phường"}
}

func (w *world) seedCases() caseWorld {
	sys := w.sys
	var cw caseWorld
	p, err := w.db.CreatePerson(sys, antq.PersonInput{UnitCode: inUnit, FullName: "Nguyễn Văn An", BirthYear: 1968, Gender: antq.GenderMale, Role: "to_bao_ve_antt", NationalID: inNationalID})
	w.must(err)
	cw.person = p.ID
	fp, err := w.db.CreatePerson(sys, antq.PersonInput{UnitCode: outUnit, FullName: "Người " + marker, BirthYear: 1970, Gender: antq.GenderMale, Role: "cong_dan", NationalID: outNationalID})
	w.must(err)
	cw.foreignPerson = fp.ID
	newCase := func(code, title string, person int64) int64 {
		in := antq.ExemplarInput{UnitCode: code, Subject: antq.SubjectCollective, Title: title, Deed: "Phát hiện, ngăn chặn một vụ trộm cắp tài sản",
			OccurredOn: antq.MustDate("2023-06-12"), Place: "Khu phố 1", Story: caseStory, Source: "Công an phường"}
		if person != 0 {
			in.Subject, in.PersonID = antq.SubjectPerson, person
		}
		e, err := w.db.CreateExemplar(sys, in)
		w.must(err)
		return e.ID
	}
	cw.published = newCase(inUnit, publishedName, p.ID)
	ph, err := w.db.AddExemplarPhoto(sys, cw.published, "anh.jpg", "Ông An", bytes.NewReader(jpeg))
	w.must(err)
	cw.publishedPhoto = ph.ID
	_, err = w.db.StepExemplar(sys, cw.published, antq.ExemplarReview, antq.ExemplarStep{})
	w.must(err)
	_, err = w.db.StepExemplar(sys, cw.published, antq.ExemplarConsent, antq.ExemplarStep{Consent: &antq.Consent{On: antq.MustDate("2023-08-10"), By: "Nguyễn Văn An", Document: "Phiếu đồng ý", Photos: true}})
	w.must(err)
	_, err = w.db.StepExemplar(sys, cw.published, antq.ExemplarPublish, antq.ExemplarStep{})
	w.must(err)
	cw.draft = newCase(inUnit, draftName, 0)
	dp, err := w.db.AddExemplarPhoto(sys, cw.draft, "anh2.png", "", strings.NewReader("\x89PNG\r\n\x1a\n0000000000000000"))
	w.must(err)
	cw.draftPic = dp.ID
	cw.foreignCase = newCase(outUnit, "Gương "+marker, fp.ID)
	return cw
}

// freshCase is a reported case of the scenario users' commune.
func (w *world) freshCase() int64 {
	e, err := w.db.CreateExemplar(w.sys, antq.ExemplarInput{UnitCode: inUnit, Subject: antq.SubjectCollective, Title: fmt.Sprintf("Gương số %d", w.uniq()),
		Deed: "Phát hiện, ngăn chặn một vụ trộm cắp tài sản", OccurredOn: antq.MustDate("2023-06-12"), Place: "Khu phố 1", Story: caseStory, Source: "Công an phường"})
	w.must(err)
	return e.ID
}

// reviews is the status of a review step for a caller holding the route's
// permission: only case:review may review.
func reviews(ok int) func(a *actor) int {
	return func(a *actor) int {
		if a.user.Can(antq.PermCaseReview) {
			return ok
		}
		return http.StatusForbidden
	}
}

func lacks(s ...string) func(t *testing.T, w *world, a *actor, res response) {
	return func(t *testing.T, w *world, a *actor, res response) {
		for _, x := range s {
			if strings.Contains(res.body, x) {
				t.Errorf("answer holds %q:\n%s", x, truncate(res.body))
			}
		}
	}
}

func caseScenarios() map[string][]variant {
	consent := url.Values{"action": {"consent"}, "consent_by": {"Trưởng khu phố"}, "consent_on": {"2023-08-10"}, "consent_document": {"Biên bản họp khu phố"}}
	consentJSON := map[string]any{"consent": map[string]any{"on": "2023-08-10", "by": "Trưởng khu phố", "document": "Biên bản họp khu phố", "name": true, "birth_year": false, "photos": false}}
	pub := func(f func(cw caseWorld) string) func(w *world, _ *actor) request {
		return func(w *world, _ *actor) request { return request{path: f(w.cases)} }
	}
	return map[string][]variant{
		// ---- public: anyone, published and consented only ----
		"GET /public": {
			{name: "all", ok: 200, anon: 200, build: get("/public"), check: func(t *testing.T, w *world, a *actor, res response) {
				wantBody(publishedName)(t, w, a, res)
				lacks(draftName, "Nguyễn Văn An")(t, w, a, res) // the name was not consented: initials only
				wantBody("N.V.A.")(t, w, a, res)
			}},
			{name: "a commune", ok: 200, anon: 200, build: get("/public?unit=25195"), check: wantBody(publishedName)},
			{name: "unknown unit", ok: 404, anon: 404, build: get("/public?unit=khong-co")},
		},
		"GET /public/cases/{id}": {
			{name: "published", ok: 200, anon: 200, build: pub(func(cw caseWorld) string { return fmt.Sprintf("/public/cases/%d", cw.published) }), check: lacks("Nguyễn Văn An", "1968")},
			{name: "unpublished", ok: 404, anon: 404, build: pub(func(cw caseWorld) string { return fmt.Sprintf("/public/cases/%d", cw.draft) })},
			{name: "foreign unpublished", ok: 404, anon: 404, build: pub(func(cw caseWorld) string { return fmt.Sprintf("/public/cases/%d", cw.foreignCase) })},
		},
		"GET /public/cases/{id}/photos/{photo}": {
			{name: "consented photo", ok: 200, anon: 200, build: pub(func(cw caseWorld) string {
				return fmt.Sprintf("/public/cases/%d/photos/%d", cw.published, cw.publishedPhoto)
			})},
			{name: "unpublished case's photo", ok: 404, anon: 404, build: pub(func(cw caseWorld) string { return fmt.Sprintf("/public/cases/%d/photos/%d", cw.draft, cw.draftPic) })},
			{name: "another case's photo", ok: 404, anon: 404, build: pub(func(cw caseWorld) string {
				return fmt.Sprintf("/public/cases/%d/photos/%d", cw.published, cw.draftPic)
			})},
		},
		"GET /public/cases/{id}/press-kit.zip": {
			{name: "published", ok: 200, anon: 200, build: pub(func(cw caseWorld) string { return fmt.Sprintf("/public/cases/%d/press-kit.zip", cw.published) })},
			{name: "unpublished", ok: 404, anon: 404, build: pub(func(cw caseWorld) string { return fmt.Sprintf("/public/cases/%d/press-kit.zip", cw.draft) })},
		},

		"GET /api/v1/awards": {{name: "catalogue", ok: 200, build: get("/api/v1/awards"), check: wantBody("ky_niem_chuong_bao_ve_an_ninh_to_quoc")}},

		// ---- people ----
		"GET /people": {
			{name: "in scope", ok: 200, build: get("/people?unit=25195"), check: wantBody("Nguyễn Văn An")},
			{name: "all in scope", ok: 200, build: get("/people")},
			{name: "another unit's code", out: true, build: get("/people?unit=25200")},
		},
		"POST /people": {
			{name: "in scope", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request {
				return request{path: "/people", form: url.Values{"unit_code": {inUnit}, "full_name": {"Trần Thị Bình"}, "birth_year": {"1980"}, "gender": {"nu"}, "role": {"truong_khu_dan_cu"}}}
			}},
			{name: "refused input", ok: 422, build: func(w *world, _ *actor) request {
				return request{path: "/people", form: url.Values{"unit_code": {inUnit}, "full_name": {""}, "birth_year": {"1700"}}}
			}, check: wantBody("năm sinh phải từ")},
			{name: "another unit's code", out: true, build: func(w *world, _ *actor) request {
				return request{path: "/people", form: url.Values{"unit_code": {outUnit}, "full_name": {"Trần Thị Bình"}, "birth_year": {"1980"}, "gender": {"nu"}, "role": {"cong_dan"}}}
			}},
		},
		"POST /people/match": {
			{name: "in scope", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request {
				return request{path: "/people/match", form: url.Values{"national_id": {inNationalID}}}
			}},
			{name: "a foreign person's number", out: true, build: func(w *world, _ *actor) request {
				return request{path: "/people/match", form: url.Values{"national_id": {outNationalID}}}
			}},
		},
		"GET /people/{id}": {
			{name: "in scope", ok: 200, build: func(w *world, _ *actor) request { return request{path: fmt.Sprintf("/people/%d", w.cases.person)} },
				check: func(t *testing.T, w *world, a *actor, res response) {
					lacks(inNationalID)(t, w, a, res)
					// A Tổ bảo vệ member in 2024: TT 11/2021 does not list the role.
					wantBody("Thông tư 11/2021/TT-BCA")(t, w, a, res)
					wantBody("không thuộc đối tượng xét tặng")(t, w, a, res)
				}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/people/%d", w.cases.foreignPerson)}
			}},
		},
		"GET /api/v1/people": {
			{name: "in scope", ok: 200, build: get("/api/v1/people?unit=25195"), check: wantBody("Nguyễn Văn An")},
			{name: "another unit's code", out: true, build: get("/api/v1/people?unit=25200")},
		},
		"POST /api/v1/people": {
			{name: "in scope", ok: 201, build: func(w *world, _ *actor) request {
				return request{path: "/api/v1/people", json: map[string]any{"unit_code": inUnit, "full_name": "Trần Thị Bình", "birth_year": 1980, "gender": "nu", "role": "cong_dan"}}
			}},
			{name: "another unit's code", out: true, build: func(w *world, _ *actor) request {
				return request{path: "/api/v1/people", json: map[string]any{"unit_code": outUnit, "full_name": "Trần Thị Bình", "birth_year": 1980, "gender": "nu", "role": "cong_dan"}}
			}},
		},
		"POST /api/v1/people/match": {
			{name: "in scope", ok: 200, build: func(w *world, _ *actor) request {
				return request{path: "/api/v1/people/match", json: map[string]any{"national_id": inNationalID}}
			}, check: lacks(inNationalID)},
			{name: "a foreign person's number", out: true, build: func(w *world, _ *actor) request {
				return request{path: "/api/v1/people/match", json: map[string]any{"national_id": outNationalID}}
			}},
		},
		"GET /api/v1/people/{id}": {
			{name: "in scope", ok: 200, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/people/%d", w.cases.person)}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/people/%d", w.cases.foreignPerson)}
			}},
		},

		// ---- exemplary cases ----
		"GET /cases": {
			{name: "in scope", ok: 200, build: get("/cases?unit=25195"), check: wantBody(draftName)},
			{name: "another unit's code", out: true, build: get("/cases?unit=25200")},
		},
		"POST /cases": {
			{name: "in scope", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request { return request{path: "/cases", form: caseForm(inUnit)} }},
			{name: "another unit's code", out: true, build: func(w *world, _ *actor) request { return request{path: "/cases", form: caseForm(outUnit)} }},
		},
		"GET /cases/{id}": {
			{name: "in scope", ok: 200, build: func(w *world, _ *actor) request { return request{path: fmt.Sprintf("/cases/%d", w.cases.draft)} }},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request { return request{path: fmt.Sprintf("/cases/%d", w.cases.foreignCase)} }},
		},
		"POST /cases/{id}/step": {
			{name: "consent", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/cases/%d/step", w.freshCase()), form: consent}
			}},
			{name: "review", want: reviews(http.StatusSeeOther), build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/cases/%d/step", w.freshCase()), form: url.Values{"action": {"review"}}}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/cases/%d/step", w.cases.foreignCase), form: consent}
			}},
		},
		"POST /cases/{id}/photos": {
			{name: "in scope", ok: http.StatusSeeOther, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/cases/%d/photos", w.freshCase()), file: &formFile{fields: map[string]string{"caption": "Ảnh"}, name: "anh.jpg", contents: jpeg}}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/cases/%d/photos", w.cases.foreignCase), file: &formFile{name: "anh.jpg", contents: jpeg}}
			}},
		},
		"GET /cases/{id}/photos/{photo}": {
			{name: "in scope", ok: 200, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/cases/%d/photos/%d", w.cases.draft, w.cases.draftPic)}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/cases/%d/photos/%d", w.cases.foreignCase, w.cases.draftPic)}
			}},
		},
		"GET /api/v1/cases": {
			{name: "in scope", ok: 200, build: get("/api/v1/cases?unit=25195"), check: wantBody(draftName)},
			{name: "another unit's code", out: true, build: get("/api/v1/cases?unit=25200")},
		},
		"POST /api/v1/cases": {
			{name: "in scope", ok: 201, build: func(w *world, _ *actor) request { return request{path: "/api/v1/cases", json: caseJSON(inUnit)} }},
			{name: "another unit's code", out: true, build: func(w *world, _ *actor) request { return request{path: "/api/v1/cases", json: caseJSON(outUnit)} }},
		},
		"GET /api/v1/cases/{id}": {
			{name: "in scope", ok: 200, build: func(w *world, _ *actor) request { return request{path: fmt.Sprintf("/api/v1/cases/%d", w.cases.draft)} }},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/cases/%d", w.cases.foreignCase)}
			}},
		},
		"POST /api/v1/cases/{id}/{action}": {
			{name: "consent", ok: 200, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/cases/%d/consent", w.freshCase()), json: consentJSON}
			}},
			{name: "review", want: reviews(200), build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/cases/%d/review", w.freshCase()), json: map[string]any{"note": "Đã xác minh"}}
			}},
			{name: "foreign id", out: true, build: func(w *world, _ *actor) request {
				return request{path: fmt.Sprintf("/api/v1/cases/%d/consent", w.cases.foreignCase), json: consentJSON}
			}},
		},
	}
}
