package web

import (
	"context"
	"database/sql"
	"io"
	"os"
	"time"

	"antq"
	"antq/cluster"
	"antq/geo"
	"antq/indicator"
	"antq/report"
	"antq/rules"
	"antq/store"
	"antq/yearend"
)

// Store is the storage the web layer uses: one small interface per area,
// so that a handler's needs read from its area and a new area adds its own
// interface here. *store.DB implements it (checked below); the tests run
// against the real store on both engines, never a mock.
type Store interface {
	unitsStore
	plansStore
	factsStore
	approvalsStore
	evidenceStore
	dossiersStore
	clustersStore
	accountsStore
	sessionsStore
	operationsStore
	templatesStore
	exportsStore
	peopleStore
	exemplarsStore
	awardsStore
	publicStore
	geoStore
	reportsStore
}

var _ Store = (*store.DB)(nil)

// unitsStore is the unit registry: the tree, search, lineage across reorganisations.
type unitsStore interface {
	Ancestors(ctx context.Context, code string, asOf antq.Date) ([]*antq.Unit, error)
	Children(ctx context.Context, code string, asOf antq.Date, kind *antq.UnitKind, offset, limit int) (*antq.Unit, []*antq.Unit, int, error)
	FindUnitByCode(ctx context.Context, code string, asOf antq.Date) (*antq.Unit, error)
	FindUnits(ctx context.Context, filter antq.UnitFilter) ([]*antq.Unit, int, error)
	SeesEverything(ctx context.Context) (bool, error)
	SubtreeCounts(ctx context.Context, code string, asOf antq.Date) ([]antq.KindCount, error)
	Lineage(ctx context.Context, unitID int64) (predecessors, successors []store.LineageLink, err error)
	Reorganise(ctx context.Context, file string, rows []antq.ReorgRow) (store.ReorgResult, error)
}

// plansStore is plans, their rule sets and the indicators maintained on write.
type plansStore interface {
	Catalog(ctx context.Context) (*rules.Catalog, error)
	Plan(ctx context.Context, id string) (*rules.Plan, *rules.Catalog, error)
	PlanUnit(ctx context.Context, planID, code string) (*antq.Unit, []*rules.RuleSet, error)
	Indicators(ctx context.Context, planID, code string) (*store.IndicatorReport, error)
	IndicatorsPage(ctx context.Context, planID, code string, offset, limit int) (*store.IndicatorReport, error)
	IndicatorsSummed(ctx context.Context, planID, code string, offset, limit int) (*store.IndicatorReport, error)
	OrganisationIndicators(ctx context.Context, planID, code string, offset, limit int) (*store.IndicatorReport, error)
	UnitIndicators(ctx context.Context, planID, code string) (*store.IndicatorReport, error)
	HouseholdCoverage(ctx context.Context, planID, code string) (*store.HouseholdCoverage, error)
	FailingUnits(ctx context.Context, planID string, id rules.Indicator, code string, offset, limit int) ([]store.FailingUnit, int, error)
	// Restate is a plan's figures restated on a unit of today through the
	// lineage of reorganisations, beside its predecessors' as recorded.
	Restate(ctx context.Context, planID, code string) (*store.Restatement, error)
	FailingUnitsFiltered(ctx context.Context, planID string, id rules.Indicator, code string, f store.FailingFilter) ([]store.FailingUnit, int, error)
	GradeUnits(ctx context.Context, planID, code string, b indicator.GradeBucket, offset, limit int) ([]store.GradedUnit, int, error)
}

// factsStore is the facts a unit records for a plan.
type factsStore interface {
	UnitFacts(ctx context.Context, planID, code string) (*antq.Unit, *antq.UnitFacts, error)
	FactVersions(ctx context.Context, planID, code string) (map[string]string, error)
	PutRegistration(ctx context.Context, planID, code string, in antq.Registration) (*antq.Registration, error)
	DeleteRegistration(ctx context.Context, planID, code string) error
	PutPropaganda(ctx context.Context, planID, code string, in antq.PropagandaInput) (*antq.Propaganda, error)
	DeletePropaganda(ctx context.Context, planID, code string) error
	CreateModel(ctx context.Context, planID, code string, in antq.ModelInput) (*antq.Model, error)
	UpdateModel(ctx context.Context, planID, code string, id int64, in antq.ModelInput) (*antq.Model, error)
	DeleteModel(ctx context.Context, planID, code string, id int64) error
	ListModels(ctx context.Context, planID, code string) ([]*antq.Model, error)
	ModelRegistryOf(ctx context.Context, planID, code string) (*store.ModelRegistryView, error)
	PredecessorModels(ctx context.Context, planID, code string) ([]*store.RegistryEntry, error)
	ModelEntry(ctx context.Context, planID string, id int64) (*store.RegistryEntry, error)
	CreateIncident(ctx context.Context, planID, code string, in antq.IncidentInput) (*antq.Incident, error)
	DeleteIncident(ctx context.Context, planID, code string, id int64) error
	PutRecognition(ctx context.Context, planID, code string, in antq.Recognition) (*antq.Recognition, error)
	DeleteRecognition(ctx context.Context, planID, code string) error
	PutGrade(ctx context.Context, planID, code string, in antq.GradeRecord) (*antq.GradeRecord, error)
	DeleteGrade(ctx context.Context, planID, code string) error
	PutCollectiveAssessment(ctx context.Context, planID, code string, in antq.CollectiveAssessment) (*antq.CollectiveAssessment, error)
	DeleteCollectiveAssessment(ctx context.Context, planID, code string) error
	Undo(ctx context.Context, planID, code string, auditID int64) (antq.FactKind, error)
}

// approvalsStore is the approval of facts.
type approvalsStore interface {
	PendingFacts(ctx context.Context, planID, code string, offset, limit int) ([]store.PendingFact, int, error)
	StepFact(ctx context.Context, planID, code string, kind antq.FactKind, id int64, action antq.ApprovalAction, reason string) (*antq.Approval, error)
	StepFacts(ctx context.Context, planID string, facts []store.FactRef, action antq.ApprovalAction, reason string) ([]store.StepResult, error)
}

// evidenceStore is evidence files.
type evidenceStore interface {
	AddEvidence(ctx context.Context, planID, code string, in store.EvidenceInput) (*antq.Evidence, error)
	DeleteEvidence(ctx context.Context, planID, code string, id int64) error
	OpenEvidence(ctx context.Context, planID, code string, id int64) (*antq.Evidence, *os.File, error)
	EvidenceLimits() store.EvidenceLimits
	FilesDir() string
}

// dossiersStore is year-end dossiers, their workflow and decided results.
type dossiersStore interface {
	Dossier(ctx context.Context, planID, code string, kind yearend.DossierKind) (*yearend.Dossier, error)
	UpdateDossier(ctx context.Context, planID, code string, kind yearend.DossierKind, in yearend.DossierInput) (*yearend.Dossier, error)
	Transition(ctx context.Context, planID, code string, kind yearend.DossierKind, action yearend.Action, in yearend.TransitionInput) (*yearend.Dossier, error)
	BulkTransition(ctx context.Context, planID string, codes []string, kind yearend.DossierKind, action yearend.Action, in yearend.TransitionInput) ([]yearend.BulkResult, error)
	Inbox(ctx context.Context, planID string, f yearend.InboxFilter) ([]yearend.InboxItem, int, error)
	Results(ctx context.Context, planID, code string) ([]yearend.ResultRow, error)
	EachResult(ctx context.Context, planID, code string, start func() error, each func(*yearend.ResultRow) error) error
	Decisions(ctx context.Context, planID, code string, kind yearend.DossierKind) ([]yearend.DecisionRow, error)
	Notices(ctx context.Context, planID string, limit int) (*yearend.Notices, error)
}

// clustersStore is emulation clusters and blocks: members, head, pact,
// scoring, the ranking and the meeting's nominations.
type clustersStore interface {
	Clusters(ctx context.Context, year int) ([]*cluster.Cluster, error)
	Cluster(ctx context.Context, id int64) (*cluster.Cluster, error)
	ClusterSheet(ctx context.Context, id string, version int) (*rules.Sheet, error)
	CreateCluster(ctx context.Context, in cluster.Input) (*cluster.Cluster, error)
	UpdateCluster(ctx context.Context, id int64, in cluster.Input) (*cluster.Cluster, error)
	ClusterRanking(ctx context.Context, id int64) (*store.Ranking, error)
	UpdateScores(ctx context.Context, id int64, code string, in []cluster.ScoreInput) (*store.Ranking, error)
	CloseRanking(ctx context.Context, id int64) (*store.Ranking, error)
	ReopenRanking(ctx context.Context, id int64, reason string) (*store.Ranking, error)
	RecordNomination(ctx context.Context, id int64, in cluster.NominationInput) (*cluster.Nomination, error)
}

// accountsStore is users and API tokens.
type accountsStore interface {
	CreateUser(ctx context.Context, nu store.NewUser) (*antq.User, error)
	CreateUsers(ctx context.Context, list []store.NewUser) ([]*antq.User, error)
	CheckUsers(ctx context.Context, list []store.NewUser) error
	FindUserByUsername(ctx context.Context, username string) (*antq.User, error)
	FullName(ctx context.Context, username string) (string, error)
	PasswordHash(ctx context.Context, username string) (userID int64, hash string, err error)
	ChangeOwnPassword(ctx context.Context, hash, keepSession string, revokeTokens bool) error
	ResetPassword(ctx context.Context, username, hash, reason string, mustChange bool) error
	UpdateUser(ctx context.Context, username string, c store.UserChange) (*antq.User, error)
	User(ctx context.Context, username string) (*store.UserDetails, error)
	Users(ctx context.Context, f store.UserFilter) ([]*antq.User, int, error)
	CreateToken(ctx context.Context, userID int64, name, tokenHash, prefix string) (*store.Token, error)
	RevokeToken(ctx context.Context, id int64) error
	TokenOwner(ctx context.Context, username string) (*antq.User, error)
	TokenUser(ctx context.Context, tokenHash string) (*antq.User, error)
	Tokens(ctx context.Context, username string) ([]store.Token, error)
}

// sessionsStore is logins, sessions and the login throttle.
type sessionsStore interface {
	Logout(ctx context.Context, idHash string) error
	SessionUser(ctx context.Context, idHash string, p store.SessionPolicy) (*antq.User, error)
	LoginWait(ctx context.Context, p store.ThrottlePolicy, username, addr string) (time.Duration, error)
	RecordLogin(ctx context.Context, p store.ThrottlePolicy, username, addr string, user *antq.User) error
	StartSession(ctx context.Context, p store.ThrottlePolicy, username, addr string, user *antq.User, s store.NewSession) error
}

// operationsStore is the database itself: schema, engine, clock, audit trail.
type operationsStore interface {
	CheckSchema(ctx context.Context) error
	Engine() store.Engine
	Now() time.Time
	ReadPool() *sql.DB
	AuditRecords(ctx context.Context, f store.AuditFilter) ([]store.AuditRecord, error)
}

// peopleStore is people: minimal personal data, every read audited.
type peopleStore interface {
	CreatePerson(ctx context.Context, in antq.PersonInput) (*antq.Person, error)
	Person(ctx context.Context, id int64) (*antq.Person, error)
	People(ctx context.Context, f store.PersonFilter) ([]*antq.Person, int, error)
	MatchNationalID(ctx context.Context, number string) (*antq.Person, error)
}

// exemplarsStore is exemplary cases: report, photos, review, consent,
// publication.
type exemplarsStore interface {
	CreateExemplar(ctx context.Context, in antq.ExemplarInput) (*antq.Exemplar, error)
	Exemplar(ctx context.Context, id int64) (*antq.Exemplar, error)
	Exemplars(ctx context.Context, f store.ExemplarFilter) ([]*antq.Exemplar, error)
	StepExemplar(ctx context.Context, id int64, action antq.ExemplarAction, in antq.ExemplarStep) (*antq.Exemplar, error)
	AddExemplarPhoto(ctx context.Context, id int64, filename, caption string, body io.Reader) (*antq.CasePhoto, error)
	OpenExemplarPhoto(ctx context.Context, caseID, photoID int64) (*antq.CasePhoto, *os.File, error)
	ExemplarModels(ctx context.Context, code string) ([]store.ModelChoice, error)
}

// awardsStore is commendation: nominations from draft to decision, the
// suggestions of the official figures, award history.
type awardsStore interface {
	CreateNomination(ctx context.Context, in antq.NominationInput) (*antq.Nomination, error)
	UpdateNomination(ctx context.Context, id int64, in antq.NominationInput) (*antq.Nomination, error)
	Nomination(ctx context.Context, id int64) (*antq.Nomination, error)
	Nominations(ctx context.Context, f store.NominationFilter) ([]*antq.Nomination, error)
	StepNomination(ctx context.Context, id int64, action antq.NominationAction, in antq.NominationStep) (*antq.Nomination, error)
	AwardSuggestions(ctx context.Context, planID, code string) ([]antq.AwardSuggestion, error)
	AwardHistory(ctx context.Context, personID int64, unitCode string) ([]*antq.Nomination, error)
	AddNominationDocument(ctx context.Context, id int64, kind antq.DocumentKind, filename string, body io.Reader) (*antq.NominationDocument, error)
	NominationDocuments(ctx context.Context, id int64) ([]*antq.NominationDocument, error)
	OpenNominationDocument(ctx context.Context, id, docID int64) (*antq.NominationDocument, *os.File, error)
	DeleteNominationDocument(ctx context.Context, id, docID int64) error
	AddStanding(ctx context.Context, personID int64, in antq.StandingInput) (*antq.PersonStanding, error)
	CloseStanding(ctx context.Context, personID, id int64, to antq.Date) (*antq.PersonStanding, error)
	DeleteStanding(ctx context.Context, personID, id int64, reason string) error
	PersonStandings(ctx context.Context, personID int64) ([]*antq.PersonStanding, error)
}

// publicStore is what the public page reads without login: published
// cases cut to what was consented.
type publicStore interface {
	PublicCases(ctx context.Context, code string) ([]*antq.PublicCase, error)
	PublicNominations(ctx context.Context, code string) ([]*antq.PublicNomination, error)
	PublicCase(ctx context.Context, id int64) (*antq.PublicCase, error)
	OpenPublicPhoto(ctx context.Context, caseID, photoID int64) (*antq.CasePhoto, *os.File, error)
}

// geoStore is the boundaries the maps draw.
type geoStore interface {
	Boundaries(ctx context.Context, on map[string]antq.Date) (map[string]geo.Shape, error)
}

// reportsStore is the year-end and interim reports: their figures, models
// and the narrative the unit writes.
type reportsStore interface {
	ReportFigures(ctx context.Context, planID, code string, kind report.Kind, asOf antq.Date) (*store.ReportFigures, error)
	ReportModels(ctx context.Context, planID, code string, kind report.Kind, asOf antq.Date) ([]report.Model, error)
	ReportDraft(ctx context.Context, planID, code string, kind report.Kind, asOf antq.Date) (*report.Draft, error)
	SaveReportDraft(ctx context.Context, planID, code string, kind report.Kind, asOf antq.Date, in report.Draft) (*report.Draft, error)
}
