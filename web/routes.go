package web

import (
	"net/http"

	"antq"
)

// routes is the one route table. Health endpoints and the login page are
// public; everything else requires a session or a bearer token.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	public := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, h) }
	// private routes declare the permission they need; scope is then
	// enforced by the store inside every query.
	private := func(pattern string, perm antq.Permission, h http.HandlerFunc) {
		mux.Handle(pattern, s.requireUser(s.require(perm, h)))
	}

	public("GET /healthz", s.healthz)
	public("GET /readyz", s.readyz)
	public("GET /static/{name}", s.static)
	public("GET /login", s.loginForm)
	public("POST /login", s.loginSubmit)

	private("POST /logout", antq.PermSelf, s.logout)
	private("GET /{$}", antq.PermUnitRead, s.home)
	private("GET /units/{code}", antq.PermUnitRead, s.unitPage)

	private("GET /api/v1/units", antq.PermUnitRead, s.apiUnitList)
	private("GET /api/v1/units/{code}", antq.PermUnitRead, s.apiUnitShow)
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
	private("POST /api/v1/plans/{plan}/units/{code}/evidence", antq.PermFactWrite, s.apiUploadEvidence)
	private("GET /api/v1/plans/{plan}/units/{code}/evidence/{id}", antq.PermFactRead, s.apiDownloadEvidence)
	private("DELETE /api/v1/plans/{plan}/units/{code}/evidence/{id}", antq.PermFactWrite, s.apiDeleteEvidence)

	mux.HandleFunc("/", s.notFound)

	var h http.Handler = mux
	h = s.authenticate(h)
	h = sameOrigin(h)
	h = limitBody(h, 1<<20)
	h = securityHeaders(h)
	h = s.recoverAndLog(h)
	return h
}
