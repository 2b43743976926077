package web

import (
	"net/http"
	"strings"

	"antq"
)

// routes is the one route table. Health endpoints and the login page are
// public; everything else requires a session or a bearer token.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	// Every route reads at most smallBody (1 MiB) unless it declares a larger
	// body limit (evidence uploads).
	public := func(pattern string, h http.HandlerFunc, limit ...bodyLimit) {
		mux.Handle(pattern, routeNamed(pattern, s.limitBody(h, limit...)))
	}
	// private routes declare the permission they need; scope is then
	// enforced by the store inside every query.
	private := func(pattern string, perm antq.Permission, h http.HandlerFunc, limit ...bodyLimit) {
		if strings.HasPrefix(pattern, "POST /") && !strings.HasPrefix(pattern, "POST /api/") {
			h = formUTF8(s, h) // every page form, whatever its handler reads
		}
		mux.Handle(pattern, routeNamed(pattern, s.limitBody(s.requireUser(s.firstPassword(pattern, s.require(perm, h))), limit...)))
	}

	public("GET /healthz", s.healthz)
	public("GET /readyz", s.readyz)
	public("GET /static/{name}", s.static)
	public("GET /login", s.loginForm)
	public("POST /login", s.loginSubmit)
	// The public page (issue 15): published cases, cut to what was consented.
	public("GET /public", s.publicShow)
	public("GET /public/cases/{id}", s.publicCaseShow)
	public("GET /public/cases/{id}/photos/{photo}", s.publicPhoto)
	public("GET /public/cases/{id}/press-kit.zip", s.publicPressKit)

	private("POST /logout", antq.PermSelf, s.logout)
	private("GET /{$}", antq.PermUnitRead, s.home)
	private("GET /units/{code}", antq.PermUnitRead, s.unitPage)
	private("GET /plans", antq.PermPlanRead, s.planList)
	private("GET /plans/go", antq.PermPlanRead, s.planGo)
	private("GET /plans/{plan}", antq.PermPlanRead, s.planPage)
	private("GET /plans/{plan}/dashboard", antq.PermPlanRead, s.dashboard)
	private("GET /plans/{plan}/restated", antq.PermPlanRead, s.restated)
	private("GET /plans/{plan}/failing/{id}", antq.PermPlanRead, s.failingPage)
	private("GET /plans/{plan}/map", antq.PermPlanRead, s.mapPage)
	private("GET /plans/{plan}/units/{code}", antq.PermFactRead, s.factsShow)
	private("POST /plans/{plan}/units/{code}/registration", antq.PermFactWrite, s.versioned(antq.FactRegistration, s.formRegistration))
	private("POST /plans/{plan}/units/{code}/propaganda", antq.PermFactWrite, s.versioned(antq.FactPropaganda, s.formPropaganda))
	private("POST /plans/{plan}/units/{code}/models", antq.PermFactWrite, s.formModel)
	private("POST /plans/{plan}/units/{code}/models/{id}", antq.PermFactWrite, s.versioned(antq.FactModel, s.formModel))
	private("POST /plans/{plan}/units/{code}/incidents", antq.PermFactWrite, s.formIncident)
	private("POST /plans/{plan}/units/{code}/incidents/{id}", antq.PermFactWrite, s.versioned(antq.FactIncident, s.formIncident))
	private("POST /plans/{plan}/units/{code}/recognition", antq.PermFactDecide, s.versioned(antq.FactRecognition, s.formRecognition))
	private("POST /plans/{plan}/units/{code}/collective-assessment", antq.PermFactDecide, s.versioned(antq.FactCollectiveAssessment, s.formCollectiveAssessment))
	private("POST /plans/{plan}/units/{code}/grade", antq.PermFactDecide, s.versioned(antq.FactGrade, s.formGrade))
	private("POST /plans/{plan}/units/{code}/approval", antq.PermFactWrite, s.formApproval)
	private("POST /plans/{plan}/units/{code}/history/{id}/undo", antq.PermFactWrite, s.factUndo)
	private("POST /plans/{plan}/units/{code}/evidence-form", antq.PermFactWrite, s.formEvidence, evidenceBody)
	private("GET /plans/{plan}/units/{code}/dossiers/{kind}", antq.PermFactRead, s.dossierShow)
	private("POST /plans/{plan}/units/{code}/dossiers/{kind}", antq.PermFactWrite, s.dossierSave)
	private("POST /plans/{plan}/units/{code}/dossiers/{kind}/{action}", antq.PermFactWrite, s.dossierAct)
	private("GET /plans/{plan}/units/{code}/certificate", antq.PermFactRead, s.certificate)
	private("GET /plans/{plan}/units/{code}/report", antq.PermFactRead, s.reportShow)
	private("POST /plans/{plan}/units/{code}/report", antq.PermFactWrite, s.reportSave)
	private("GET /plans/{plan}/units/{code}/report.docx", antq.PermFactRead, s.reportDocx)
	private("GET /plans/{plan}/inbox", antq.PermFactRead, s.inboxShow)
	private("POST /plans/{plan}/inbox", antq.PermFactDecide, s.inboxBulk)
	private("GET /plans/{plan}/approvals", antq.PermFactRead, s.approvalsShow)
	private("GET /plans/{plan}/notices", antq.PermFactRead, s.noticesShow)
	private("POST /plans/{plan}/approvals", antq.PermFactWrite, s.approvalsBulk)
	private("GET /plans/{plan}/decisions", antq.PermFactRead, s.decisionsShow)
	private("GET /plans/{plan}/certificates", antq.PermFactRead, s.certificatesShow)
	private("GET /plans/{plan}/grades", antq.PermFactRead, s.gradesPage)
	private("GET /plans/{plan}/todo", antq.PermFactRead, s.todoShow)
	private("GET /plans/{plan}/results.xlsx", antq.PermFactRead, s.resultsXLSX)
	private("GET /plans/{plan}/templates", antq.PermFactRead, s.templatesShow)
	private("POST /plans/{plan}/templates", antq.PermFactWrite, s.templatesUpload, unitFileBody)
	private("GET /plans/{plan}/templates.xlsx", antq.PermFactRead, s.templateXLSX)
	private("GET /plans/{plan}/indicators.xlsx", antq.PermPlanRead, s.exportIndicators)
	private("GET /plans/{plan}/failing.xlsx", antq.PermPlanRead, s.exportFailing)
	private("GET /plans/{plan}/inbox.xlsx", antq.PermFactRead, s.exportInbox)
	private("GET /plans/{plan}/decisions.xlsx", antq.PermFactRead, s.exportDecisions)
	private("GET /plans/{plan}/approvals.xlsx", antq.PermFactRead, s.exportApprovals)
	private("GET /plans/{plan}/models.xlsx", antq.PermFactRead, s.exportModels)

	private("GET /api/v1/openapi.json", antq.PermSelf, s.openAPI)
	private("GET /metrics", antq.PermAuditRead, s.metricsHandler)
	private("GET /api/v1/units", antq.PermUnitRead, s.apiUnitList)
	private("GET /api/v1/units/{code}", antq.PermUnitRead, s.apiUnitShow)
	private("POST /api/v1/units/reorganise", antq.PermUnitWrite, s.apiUnitsReorganise, unitFileBody)
	private("GET /api/v1/units/{code}/children", antq.PermUnitRead, s.apiUnitChildren)

	private("GET /api/v1/plans", antq.PermPlanRead, s.apiPlanList)
	private("GET /api/v1/plans/{plan}", antq.PermPlanRead, s.apiPlanShow)
	private("GET /api/v1/plans/{plan}/indicators", antq.PermPlanRead, s.apiIndicators)
	private("GET /api/v1/plans/{plan}/indicators/{id}/failing", antq.PermPlanRead, s.apiFailing)

	private("GET /api/v1/plans/{plan}/units/{code}", antq.PermFactRead, s.apiUnitFacts)
	private("GET /api/v1/plans/{plan}/restated", antq.PermPlanRead, s.apiRestated)
	private("PUT /api/v1/plans/{plan}/units/{code}/registration", antq.PermFactWrite, s.versioned(antq.FactRegistration, s.apiPutRegistration))
	private("DELETE /api/v1/plans/{plan}/units/{code}/registration", antq.PermFactWrite, s.versioned(antq.FactRegistration, s.apiDeleteRegistration))
	private("PUT /api/v1/plans/{plan}/units/{code}/propaganda", antq.PermFactWrite, s.versioned(antq.FactPropaganda, s.apiPutPropaganda))
	private("DELETE /api/v1/plans/{plan}/units/{code}/propaganda", antq.PermFactWrite, s.versioned(antq.FactPropaganda, s.apiDeletePropaganda))
	private("GET /api/v1/plans/{plan}/units/{code}/models", antq.PermFactRead, s.apiListModels)
	private("POST /api/v1/plans/{plan}/units/{code}/models", antq.PermFactWrite, s.apiCreateModel)
	private("PATCH /api/v1/plans/{plan}/units/{code}/models/{id}", antq.PermFactWrite, s.versioned(antq.FactModel, s.apiUpdateModel))
	private("DELETE /api/v1/plans/{plan}/units/{code}/models/{id}", antq.PermFactWrite, s.versioned(antq.FactModel, s.apiDeleteModel))
	private("POST /api/v1/plans/{plan}/units/{code}/incidents", antq.PermFactWrite, s.apiCreateIncident)
	private("DELETE /api/v1/plans/{plan}/units/{code}/incidents/{id}", antq.PermFactWrite, s.versioned(antq.FactIncident, s.apiDeleteIncident))
	private("PUT /api/v1/plans/{plan}/units/{code}/recognition", antq.PermFactDecide, s.versioned(antq.FactRecognition, s.apiPutRecognition))
	private("DELETE /api/v1/plans/{plan}/units/{code}/recognition", antq.PermFactDecide, s.versioned(antq.FactRecognition, s.apiDeleteRecognition))
	private("PUT /api/v1/plans/{plan}/units/{code}/collective-assessment", antq.PermFactDecide, s.versioned(antq.FactCollectiveAssessment, s.apiPutCollectiveAssessment))
	private("DELETE /api/v1/plans/{plan}/units/{code}/collective-assessment", antq.PermFactDecide, s.versioned(antq.FactCollectiveAssessment, s.apiDeleteCollectiveAssessment))
	private("PUT /api/v1/plans/{plan}/units/{code}/grade", antq.PermFactDecide, s.versioned(antq.FactGrade, s.apiPutGrade))
	private("DELETE /api/v1/plans/{plan}/units/{code}/grade", antq.PermFactDecide, s.versioned(antq.FactGrade, s.apiDeleteGrade))
	private("POST /api/v1/plans/{plan}/units/{code}/evidence", antq.PermFactWrite, s.apiUploadEvidence, evidenceBody)
	private("GET /api/v1/plans/{plan}/units/{code}/evidence/{id}", antq.PermFactRead, s.apiDownloadEvidence)
	private("DELETE /api/v1/plans/{plan}/units/{code}/evidence/{id}", antq.PermFactWrite, s.apiDeleteEvidence)
	private("GET /api/v1/plans/{plan}/units/{code}/dossiers/{kind}", antq.PermFactRead, s.apiDossier)
	private("PATCH /api/v1/plans/{plan}/units/{code}/dossiers/{kind}", antq.PermFactWrite, s.apiUpdateDossier)
	private("POST /api/v1/plans/{plan}/units/{code}/dossiers/{kind}/{action}", antq.PermFactWrite, s.apiDossierAction)
	private("POST /api/v1/plans/{plan}/dossiers/{kind}/{action}", antq.PermFactDecide, s.apiBulkDossiers)
	private("GET /api/v1/plans/{plan}/inbox", antq.PermFactRead, s.apiInbox)
	private("POST /api/v1/plans/{plan}/units/{code}/approval/{action}", antq.PermFactWrite, s.apiFactStep)
	private("POST /api/v1/plans/{plan}/approvals/{action}", antq.PermFactWrite, s.apiBulkFactSteps)
	private("GET /api/v1/plans/{plan}/approvals", antq.PermFactRead, s.apiPendingFacts)
	private("GET /api/v1/plans/{plan}/results.xlsx", antq.PermFactRead, s.resultsXLSX)
	private("GET /api/v1/plans/{plan}/templates.xlsx", antq.PermFactRead, s.templateXLSX)
	private("POST /api/v1/plans/{plan}/facts/import", antq.PermFactWrite, s.apiImportFacts, unitFileBody)

	// --- people and exemplary cases (issue 15); before the access routes,
	// whose API password change ends every session of the scenario users ---
	private("GET /people", antq.PermPersonRead, s.peopleShow)
	private("POST /people", antq.PermPersonWrite, s.personCreate)
	private("POST /people/match", antq.PermPersonRead, s.personMatch)
	private("GET /people/{id}", antq.PermPersonRead, s.personShow)
	private("GET /cases", antq.PermPersonRead, s.casesShow)
	private("POST /cases", antq.PermCaseWrite, s.caseCreate)
	private("GET /cases/{id}", antq.PermPersonRead, s.caseShow)
	private("POST /cases/{id}/step", antq.PermPersonRead, s.caseStep)
	private("POST /cases/{id}/photos", antq.PermCaseWrite, s.casePhotoUpload, evidenceBody)
	private("GET /cases/{id}/photos/{photo}", antq.PermPersonRead, s.casePhoto)
	private("GET /api/v1/awards", antq.PermPlanRead, s.apiAwards)
	private("GET /api/v1/people", antq.PermPersonRead, s.apiPeople)
	private("POST /api/v1/people", antq.PermPersonWrite, s.apiPersonCreate)
	private("POST /api/v1/people/match", antq.PermPersonRead, s.apiPersonMatch)
	private("GET /api/v1/people/{id}", antq.PermPersonRead, s.apiPersonShow)
	private("GET /api/v1/cases", antq.PermPersonRead, s.apiCases)
	private("POST /api/v1/cases", antq.PermCaseWrite, s.apiCaseCreate)
	private("GET /api/v1/cases/{id}", antq.PermPersonRead, s.apiCaseShow)
	private("POST /api/v1/cases/{id}/{action}", antq.PermPersonRead, s.apiCaseStep)
	// --- end people and exemplary cases ---
	// --- commendation (issue 15 items 5–6) ---
	private("GET /awards", antq.PermAwardRead, s.awardsShow)
	private("POST /awards", antq.PermAwardNominate, s.awardCreate)
	private("GET /awards/{id}", antq.PermAwardRead, s.awardShow)
	private("POST /awards/{id}", antq.PermAwardNominate, s.awardUpdate)
	private("POST /awards/{id}/step", antq.PermAwardRead, s.awardStep)
	private("GET /awards/{id}/certificate", antq.PermAwardRead, s.awardCertificate)
	private("GET /api/v1/awards/nominations", antq.PermAwardRead, s.apiNominations)
	private("POST /api/v1/awards/nominations", antq.PermAwardNominate, s.apiNominationCreate)
	private("GET /api/v1/awards/nominations/{id}", antq.PermAwardRead, s.apiNominationShow)
	private("PUT /api/v1/awards/nominations/{id}", antq.PermAwardNominate, s.apiNominationUpdate)
	private("POST /api/v1/awards/nominations/{id}/{action}", antq.PermAwardRead, s.apiNominationStep)
	private("GET /api/v1/awards/suggestions", antq.PermAwardRead, s.apiAwardSuggestions)
	// --- end commendation ---

	// --- clusters and blocks (issue 14) ---
	private("GET /clusters", antq.PermClusterRead, s.clusterList)
	private("GET /clusters/{id}", antq.PermClusterRead, s.clusterShow)
	private("GET /clusters/{id}/members/{code}", antq.PermClusterRead, s.clusterMemberSheet)
	private("POST /clusters/{id}/members/{code}", antq.PermClusterScore, s.clusterMemberSave)
	private("POST /clusters/{id}/ranking", antq.PermClusterScore, s.clusterRankingForm)
	private("POST /clusters/{id}/nominations", antq.PermClusterScore, s.clusterNominateForm)
	private("GET /clusters/{id}/proposal", antq.PermClusterRead, s.clusterProposal)
	private("GET /clusters/{id}/ranking.xlsx", antq.PermClusterRead, s.clusterXLSX)
	private("GET /api/v1/clusters", antq.PermClusterRead, s.apiClusterList)
	private("POST /api/v1/clusters", antq.PermClusterWrite, s.apiClusterCreate)
	private("GET /api/v1/clusters/{id}", antq.PermClusterRead, s.apiClusterShow)
	private("PATCH /api/v1/clusters/{id}", antq.PermClusterWrite, s.apiClusterUpdate)
	private("GET /api/v1/clusters/{id}/scores", antq.PermClusterRead, s.apiClusterScores)
	private("PATCH /api/v1/clusters/{id}/scores", antq.PermClusterScore, s.apiClusterScoresUpdate)
	private("GET /api/v1/clusters/{id}/ranking", antq.PermClusterRead, s.apiClusterRanking)
	private("POST /api/v1/clusters/{id}/ranking/{action}", antq.PermClusterScore, s.apiClusterRankingAction)
	private("GET /api/v1/clusters/{id}/nominations", antq.PermClusterRead, s.apiClusterNominations)
	private("POST /api/v1/clusters/{id}/nominations", antq.PermClusterScore, s.apiClusterNominate)
	// --- end clusters and blocks (issue 14) ---

	// --- access (issue 5) ---
	private("GET /account", antq.PermSelf, s.accountShow)
	private("POST /account/password", antq.PermSelf, s.accountPasswordSubmit)
	private("GET /users", antq.PermUserAdmin, s.usersShow)
	private("GET /users/new", antq.PermUserAdmin, s.userNewForm)
	private("POST /users/new", antq.PermUserAdmin, s.userCreate)
	private("GET /users/import", antq.PermUserAdmin, s.userImportForm)
	private("POST /users/import", antq.PermUserAdmin, s.userImport, unitFileBody)
	private("GET /users/{username}", antq.PermUserAdmin, s.userShow)
	private("POST /users/{username}/state", antq.PermUserAdmin, s.userState)
	private("POST /users/{username}/password", antq.PermUserAdmin, s.userPasswordReset)
	private("POST /users/{username}/move", antq.PermUserAdmin, s.userMove)
	private("POST /users/{username}/tokens/{id}/revoke", antq.PermUserAdmin, s.userTokenRevoke)
	private("GET /audit", antq.PermAuditRead, s.auditShow)
	private("GET /api/v1/account", antq.PermSelf, s.apiAccountShow)
	private("POST /api/v1/account/password", antq.PermSelf, s.apiAccountPassword)
	private("GET /api/v1/tokens", antq.PermSelf, s.apiTokenList)
	private("POST /api/v1/tokens", antq.PermSelf, s.apiTokenCreate)
	private("DELETE /api/v1/tokens/{id}", antq.PermSelf, s.apiTokenRevoke)
	private("GET /api/v1/users", antq.PermUserAdmin, s.apiUserList)
	private("POST /api/v1/users", antq.PermUserAdmin, s.apiUserCreate)
	private("GET /api/v1/users/{username}", antq.PermUserAdmin, s.apiUserShow)
	private("PATCH /api/v1/users/{username}", antq.PermUserAdmin, s.apiUserUpdate)
	private("POST /api/v1/users/{username}/password", antq.PermUserAdmin, s.apiUserPasswordReset)
	private("GET /api/v1/audit", antq.PermAuditRead, s.apiAuditList)
	// --- end access (issue 5) ---

	mux.Handle("/", s.limitBody(s.noRoute(mux)))

	var h http.Handler = mux
	h = s.authenticate(h)
	h = s.sameOrigin(h)
	h = securityHeaders(h)
	h = compressResponses(h)
	h = s.admit(h)
	h = s.recoverAndLog(h)
	return h
}
