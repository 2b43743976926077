package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/web/apiclient"
)

// client is the generated API client acting as a, through the harness's
// server (so the contract checks every exchange too).
func (e *env) apiClient(a *actor) *apiclient.ClientWithResponses {
	e.t.Helper()
	c, err := apiclient.NewClientWithResponses(e.srv.URL+"/api/v1", apiclient.WithRequestEditorFn(apiclient.BearerToken(a.token)))
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func day(s string) openapi_types.Date {
	return openapi_types.Date{Time: antq.MustDate(s).Time()}
}

// status fails the test unless an answer of the generated client has the
// status wanted.
func status(t *testing.T, what string, res interface {
	StatusCode() int
}, body []byte, err error, want int) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if res.StatusCode() != want {
		t.Fatalf("%s = %d, want %d: %s", what, res.StatusCode(), want, truncate(string(body)))
	}
}

// TestClientYearEndFlow drives one residential area's year through the
// generated client, as a provincial system would: the commune's data entry
// records the facts and the evidence, fills and submits the recognition
// dossier; the commune's reviewer reviews it; the district's reviewer (above
// the deciding authority, the commune) decides it; the decision shows in the
// facts, the indicators and the results workbook. Whoever submits neither
// reviews nor decides it. (The approval of facts the issue names comes
// between facts and dossier; it does not exist yet, so the flow skips it.)
func TestClientYearEndFlow(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		const area = "25195-KDC01"
		clerk := e.apiClient(e.addUser("tanphu-nl", antq.RoleDataEntry, "25195", "Cán bộ nhập liệu phường Tân Phú"))
		communeReviewer := e.apiClient(e.addUser("tanphu-td", antq.RoleReviewer, "25195", "Công an phường Tân Phú"))
		districtReviewer := e.apiClient(e.addUser("dongxoai-td", antq.RoleReviewer, "689", "Công an thành phố Đồng Xoài"))

		// ---- facts ----
		reg, err := clerk.PutRegistrationWithResponse(ctx, planID, area, nil, apiclient.RegistrationInput{RegisteredOn: day("2023-02-10"),
			Document: &apiclient.DocumentRefInput{Number: "01/ĐK-KP1", Date: ptr(day("2023-02-05")), Issuer: ptr("Ban điều hành khu phố 1")}})
		status(t, "registration", reg, reg.Body, err, http.StatusOK)
		if reg.JSON200.RegisteredOn.String() != "2023-02-10" || reg.JSON200.UpdatedBy != "tanphu-nl" {
			t.Fatalf("registration = %+v", reg.JSON200)
		}
		prop, err := clerk.PutPropagandaWithResponse(ctx, planID, area, nil, apiclient.PropagandaInput{Reached: 380, AsOf: day("2023-10-31")})
		status(t, "propaganda", prop, prop.Body, err, http.StatusOK)
		if prop.JSON200.Total != 400 {
			t.Fatalf("propaganda total = %d, want the area's 400 households", prop.JSON200.Total)
		}
		model, err := clerk.CreateModelWithResponse(ctx, planID, area, apiclient.ModelInput{Name: "Tổ tự quản an ninh trật tự", Kind: "khac",
			Status: apiclient.ModelStatusMaintained, Members: ptr(12)})
		status(t, "model", model, model.Body, err, http.StatusCreated)
		var upload bytes.Buffer
		mw := multipart.NewWriter(&upload)
		mw.WriteField("fact", string(apiclient.FactKindRegistration))
		fw, _ := mw.CreateFormFile("file", "bien-ban-dang-ky.pdf")
		fw.Write(pdf)
		mw.Close()
		ev, err := clerk.UploadEvidenceWithBodyWithResponse(ctx, planID, area, mw.FormDataContentType(), &upload)
		status(t, "evidence", ev, ev.Body, err, http.StatusCreated)
		if ev.JSON201.ContentType != "application/pdf" || ev.JSON201.Size != len(pdf) {
			t.Fatalf("evidence = %+v", ev.JSON201)
		}
		facts, err := clerk.GetUnitFactsWithResponse(ctx, planID, area)
		status(t, "facts", facts, facts.Body, err, http.StatusOK)
		if f := facts.JSON200; f.Registration == nil || f.Propaganda == nil || len(f.Models) != 1 || len(f.Evidence) != 1 || f.Recognition != nil {
			t.Fatalf("facts = %s", truncate(string(facts.Body)))
		}

		// ---- approval: the clerk submits the registration, the figure
		// moves to provisional; a colleague of the clerk approves it (the
		// commune approves its residential areas) and it becomes official ----
		registrationFigure := func() apiclient.Figure {
			t.Helper()
			ind, err := communeReviewer.GetIndicatorsWithResponse(ctx, planID, &apiclient.GetIndicatorsParams{Unit: ptr("25195")})
			status(t, "indicators", ind, ind.Body, err, http.StatusOK)
			for _, f := range ind.JSON200.Indicators {
				if f.Id == apiclient.IndicatorRegistration {
					return f
				}
			}
			t.Fatal("no registration figure")
			return apiclient.Figure{}
		}
		if f := registrationFigure(); f.Numerator != 0 || f.Provisional.Numerator != 0 {
			t.Fatalf("a draft counts: %+v", f)
		}
		submitted, err := clerk.StepFactWithResponse(ctx, planID, area, apiclient.ApprovalActionParam(apiclient.ApprovalActionSubmit), apiclient.FactStepInput{Fact: apiclient.ApprovableFactRegistration})
		status(t, "submit", submitted, submitted.Body, err, http.StatusOK)
		if f := registrationFigure(); f.Numerator != 0 || f.Provisional.Numerator != 1 || f.Pending != 1 {
			t.Fatalf("submitted registration: %+v", f)
		}
		self, err := clerk.StepFactWithResponse(ctx, planID, area, apiclient.ApprovalActionParam(apiclient.ApprovalActionApprove), apiclient.FactStepInput{Fact: apiclient.ApprovableFactRegistration})
		status(t, "approve by the clerk", self, self.Body, err, http.StatusForbidden)
		appr, err := communeReviewer.StepFactWithResponse(ctx, planID, area, apiclient.ApprovalActionParam(apiclient.ApprovalActionApprove), apiclient.FactStepInput{Fact: apiclient.ApprovableFactRegistration})
		status(t, "approve", appr, appr.Body, err, http.StatusOK)
		if appr.JSON200.State != apiclient.FactStateApproved {
			t.Fatalf("approved = %s", truncate(string(appr.Body)))
		}
		if f := registrationFigure(); f.Numerator != 1 || f.Provisional.Numerator != 1 || f.Pending != 0 {
			t.Fatalf("approved registration: %+v", f)
		}

		// ---- dossier ----
		d, err := clerk.GetDossierWithResponse(ctx, planID, area, apiclient.DossierKindRecognition)
		status(t, "dossier", d, d.Body, err, http.StatusOK)
		if d.JSON200.State != apiclient.DossierStateDraft || d.JSON200.Criteria == nil {
			t.Fatalf("dossier = %s", truncate(string(d.Body)))
		}
		var criteria []apiclient.CriterionInput
		for _, c := range *d.JSON200.Criteria {
			if c.Suggested == apiclient.VerdictUnknown {
				criteria = append(criteria, apiclient.CriterionInput{Id: c.Id, Verdict: ptr(apiclient.CriterionInputVerdictMet), Note: ptr("Đã kiểm tra tại khu phố")})
			}
		}
		var documents []apiclient.DossierDocumentInput
		for i, doc := range d.JSON200.Documents {
			if doc.Required {
				in := apiclient.DossierDocumentInput{Code: doc.Code, Number: ptr("0" + string(rune('1'+i)) + "/KP1"), Date: ptr(day("2023-11-05"))}
				if i == 0 {
					in.EvidenceId = ptr(ev.JSON201.Id)
				}
				documents = append(documents, in)
			}
		}
		saved, err := clerk.UpdateDossierWithResponse(ctx, planID, area, apiclient.DossierKindRecognition, apiclient.DossierInput{Criteria: &criteria, Documents: &documents})
		status(t, "save the dossier", saved, saved.Body, err, http.StatusOK)
		if saved.JSON200.Result == nil || *saved.JSON200.Result != apiclient.RecognitionResultDat || len(saved.JSON200.Missing) != 0 {
			t.Fatalf("saved dossier = %s", truncate(string(saved.Body)))
		}
		sub, err := clerk.StepDossierWithResponse(ctx, planID, area, apiclient.DossierKindRecognition, apiclient.DossierActionSubmit, apiclient.TransitionInput{})
		status(t, "submit", sub, sub.Body, err, http.StatusOK)
		if sub.JSON200.State != apiclient.DossierStateSubmitted || sub.JSON200.SubmittedBy == nil || *sub.JSON200.SubmittedBy != "tanphu-nl" {
			t.Fatalf("submitted dossier = %s", truncate(string(sub.Body)))
		}
		// Data entry may not review (403, with the reason).
		refused, err := clerk.StepDossierWithResponse(ctx, planID, area, apiclient.DossierKindRecognition, apiclient.DossierActionReview, apiclient.TransitionInput{})
		status(t, "data entry reviews", refused, refused.Body, err, http.StatusForbidden)
		if refused.JSON403 == nil || refused.JSON403.Error.Code != apiclient.ErrorErrorCodeForbidden {
			t.Fatalf("refusal = %s", refused.Body)
		}

		// ---- review and decision ----
		rev, err := communeReviewer.StepDossierWithResponse(ctx, planID, area, apiclient.DossierKindRecognition, apiclient.DossierActionReview, apiclient.TransitionInput{})
		status(t, "review", rev, rev.Body, err, http.StatusOK)
		if rev.JSON200.State != apiclient.DossierStateReviewed {
			t.Fatalf("reviewed dossier = %s", truncate(string(rev.Body)))
		}
		noNumber, err := districtReviewer.StepDossierWithResponse(ctx, planID, area, apiclient.DossierKindRecognition, apiclient.DossierActionDecide, apiclient.TransitionInput{DecisionDate: ptr(day("2023-11-15"))})
		status(t, "decide without a number", noNumber, noNumber.Body, err, http.StatusUnprocessableEntity)
		if noNumber.JSON422 == nil || noNumber.JSON422.Error.Fields == nil || (*noNumber.JSON422.Error.Fields)["decision_number"] == "" {
			t.Fatalf("refusal = %s", noNumber.Body)
		}
		dec, err := districtReviewer.StepDossierWithResponse(ctx, planID, area, apiclient.DossierKindRecognition, apiclient.DossierActionDecide,
			apiclient.TransitionInput{DecisionNumber: ptr("120/QĐ-UBND"), DecisionDate: ptr(day("2023-11-15"))})
		status(t, "decide", dec, dec.Body, err, http.StatusOK)
		if dd := dec.JSON200; dd.State != apiclient.DossierStateDecided || dd.Decision == nil || dd.Decision.Number != "120/QĐ-UBND" || dd.DecidedBy == nil || *dd.DecidedBy != "dongxoai-td" {
			t.Fatalf("decided dossier = %s", truncate(string(dec.Body)))
		}

		// ---- the decision everywhere ----
		facts, err = clerk.GetUnitFactsWithResponse(ctx, planID, area)
		status(t, "facts after", facts, facts.Body, err, http.StatusOK)
		if r := facts.JSON200.Recognition; r == nil || r.Result != apiclient.RecognitionResultDat || r.Decision == nil || r.Decision.Number != "120/QĐ-UBND" {
			t.Fatalf("recognition in the facts = %s", truncate(string(facts.Body)))
		}
		ind, err := clerk.GetIndicatorsWithResponse(ctx, planID, &apiclient.GetIndicatorsParams{Unit: ptr("25195")})
		status(t, "indicators", ind, ind.Body, err, http.StatusOK)
		found := false
		for _, f := range ind.JSON200.Indicators {
			if f.Id == apiclient.IndicatorRecognition && f.Numerator >= 1 {
				found = true
			}
		}
		if !found {
			t.Fatalf("the commune's recognition figure does not count the area: %s", truncate(string(ind.Body)))
		}
		xlsx, err := clerk.ExportResultsWithResponse(ctx, planID, &apiclient.ExportResultsParams{Unit: ptr("25195")})
		status(t, "results workbook", xlsx, xlsx.Body, err, http.StatusOK)
		if ct := xlsx.HTTPResponse.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") || !bytes.HasPrefix(xlsx.Body, []byte("PK")) {
			t.Fatalf("workbook content type %q", ct)
		}
	})
}
