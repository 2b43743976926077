package web

import (
	"net/http"

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
		mux.Handle(pattern, routeNamed(pattern, s.limitBody(s.requireUser(s.require(perm, h)), limit...)))
	}

	public("GET /healthz", s.healthz)
	public("GET /readyz", s.readyz)
	public("GET /static/{name}", s.static)
	public("GET /login", s.loginForm)
	public("POST /login", s.loginSubmit)

	private("POST /logout", antq.PermSelf, s.logout)
	private("GET /{$}", antq.PermUnitRead, s.home)
	private("GET /units/{code}", antq.PermUnitRead, s.unitPage)
	private("GET /plans", antq.PermPlanRead, s.planList)
	private("GET /plans/go", antq.PermPlanRead, s.planGo)
	private("GET /plans/{plan}", antq.PermPlanRead, s.planPage)
	private("GET /plans/{plan}/dashboard", antq.PermPlanRead, s.dashboard)
	private("GET /plans/{plan}/failing/{id}", antq.PermPlanRead, s.failingPage)
	private("GET /plans/{plan}/units/{code}", antq.PermFactRead, s.factsShow)
	private("POST /plans/{plan}/units/{code}/registration", antq.PermFactWrite, s.formRegistration)
	private("POST /plans/{plan}/units/{code}/propaganda", antq.PermFactWrite, s.formPropaganda)
	private("POST /plans/{plan}/units/{code}/models", antq.PermFactWrite, s.formModel)
	private("POST /plans/{plan}/units/{code}/models/{id}", antq.PermFactWrite, s.formModel)
	private("POST /plans/{plan}/units/{code}/incidents", antq.PermFactWrite, s.formIncident)
	private("POST /plans/{plan}/units/{code}/incidents/{id}", antq.PermFactWrite, s.formIncident)
	private("POST /plans/{plan}/units/{code}/recognition", antq.PermFactDecide, s.formRecognition)
	private("POST /plans/{plan}/units/{code}/grade", antq.PermFactDecide, s.formGrade)
	private("POST /plans/{plan}/units/{code}/approval", antq.PermFactWrite, s.formApproval)
	private("POST /plans/{plan}/units/{code}/evidence-form", antq.PermFactWrite, s.formEvidence, evidenceBody)
	private("GET /plans/{plan}/units/{code}/dossiers/{kind}", antq.PermFactRead, s.dossierShow)
	private("POST /plans/{plan}/units/{code}/dossiers/{kind}", antq.PermFactWrite, s.dossierSave)
	private("POST /plans/{plan}/units/{code}/dossiers/{kind}/{action}", antq.PermFactWrite, s.dossierAct)
	private("GET /plans/{plan}/units/{code}/certificate", antq.PermFactRead, s.certificate)
	private("GET /plans/{plan}/inbox", antq.PermFactRead, s.inboxShow)
	private("POST /plans/{plan}/inbox", antq.PermFactDecide, s.inboxBulk)
	private("GET /plans/{plan}/approvals", antq.PermFactRead, s.approvalsShow)
	private("POST /plans/{plan}/approvals", antq.PermFactWrite, s.approvalsBulk)
	private("GET /plans/{plan}/decisions", antq.PermFactRead, s.decisionsShow)
	private("GET /plans/{plan}/certificates", antq.PermFactRead, s.certificatesShow)
	private("GET /plans/{plan}/grades", antq.PermFactRead, s.gradesPage)
	private("GET /plans/{plan}/todo", antq.PermFactRead, s.todoShow)
	private("GET /plans/{plan}/results.xlsx", antq.PermFactRead, s.resultsXLSX)

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
	private("PUT /api/v1/plans/{plan}/units/{code}/registration", antq.PermFactWrite, s.apiPutRegistration)
	private("DELETE /api/v1/plans/{plan}/units/{code}/registration", antq.PermFactWrite, s.apiDeleteRegistration)
	private("PUT /api/v1/plans/{plan}/units/{code}/propaganda", antq.PermFactWrite, s.apiPutPropaganda)
	private("DELETE /api/v1/plans/{plan}/units/{code}/propaganda", antq.PermFactWrite, s.apiDeletePropaganda)
	private("GET /api/v1/plans/{plan}/units/{code}/models", antq.PermFactRead, s.apiListModels)
	private("POST /api/v1/plans/{plan}/units/{code}/models", antq.PermFactWrite, s.apiCreateModel)
	private("PATCH /api/v1/plans/{plan}/units/{code}/models/{id}", antq.PermFactWrite, s.apiUpdateModel)
	private("DELETE /api/v1/plans/{plan}/units/{code}/models/{id}", antq.PermFactWrite, s.apiDeleteModel)
	private("POST /api/v1/plans/{plan}/units/{code}/incidents", antq.PermFactWrite, s.apiCreateIncident)
	private("DELETE /api/v1/plans/{plan}/units/{code}/incidents/{id}", antq.PermFactWrite, s.apiDeleteIncident)
	private("PUT /api/v1/plans/{plan}/units/{code}/recognition", antq.PermFactDecide, s.apiPutRecognition)
	private("DELETE /api/v1/plans/{plan}/units/{code}/recognition", antq.PermFactDecide, s.apiDeleteRecognition)
	private("PUT /api/v1/plans/{plan}/units/{code}/grade", antq.PermFactDecide, s.apiPutGrade)
	private("DELETE /api/v1/plans/{plan}/units/{code}/grade", antq.PermFactDecide, s.apiDeleteGrade)
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

	// --- access (issue 5) ---
	private("GET /account", antq.PermSelf, s.accountShow)
	private("POST /account/password", antq.PermSelf, s.accountPasswordSubmit)
	private("GET /users", antq.PermUserAdmin, s.usersShow)
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
	h = s.recoverAndLog(h)
	return h
}
