package store

import (
	"context"
	"fmt"
	"sync"

	"antq"
	"antq/rules"
)

// planCache is the rules catalog: embedded rule sets and plans, plus the
// plans loaded into the database (so every server instance sees them). It is
// rebuilt when the plans table changes.
type planCache struct {
	mu      sync.Mutex
	catalog *rules.Catalog
	stamp   string
}

// Catalog returns the rule sets and plans in force: embedded ones and those
// loaded with LoadPlan.
func (db *DB) Catalog(ctx context.Context) (*rules.Catalog, error) {
	var n int
	var last *string
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*), CAST(MAX(loaded_at) AS TEXT) FROM plans`).Scan(&n, &last); err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	stamp := fmt.Sprint(n)
	if last != nil {
		stamp += " " + *last
	}
	db.plans.mu.Lock()
	defer db.plans.mu.Unlock()
	if db.plans.catalog != nil && db.plans.stamp == stamp {
		return db.plans.catalog, nil
	}
	c, err := rules.Embedded()
	if err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, body FROM plans ORDER BY loaded_at, id`)
	if err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, body string
		if err := rows.Scan(&id, &body); err != nil {
			return nil, fmt.Errorf("plans: %w", err)
		}
		p, err := rules.LoadPlan("plan:"+id, []byte(body))
		if err != nil {
			return nil, fmt.Errorf("stored plan %s: %w", id, err)
		}
		if err := c.AddPlan(p); err != nil {
			return nil, fmt.Errorf("stored plan %s: %w", id, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	db.plans.catalog, db.plans.stamp = c, stamp
	return c, nil
}

// LoadPlan validates a plan file and stores it, so every server sees it.
// Plans built into the binary cannot be replaced; a stored plan can be
// replaced by a new version with the same id.
func (db *DB) LoadPlan(ctx context.Context, file string, body []byte) (*rules.Plan, error) {
	p, err := rules.LoadPlan(file, body)
	if err != nil {
		return nil, antq.Invalid("Tệp kế hoạch không hợp lệ: "+err.Error(), nil)
	}
	emb, err := rules.Embedded()
	if err != nil {
		return nil, err
	}
	if _, err := emb.Plan(p.ID); err == nil {
		return nil, &antq.Error{Code: antq.ECONFLICT, Message: fmt.Sprintf("Kế hoạch %q có sẵn trong chương trình, không thể thay", p.ID)}
	}
	c, err := db.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	check := rules.NewCatalog()
	for _, rs := range c.RuleSets() {
		check.AddRuleSet(rs)
	}
	for _, other := range c.Plans() {
		if other.ID != p.ID {
			check.AddPlan(other)
		}
	}
	if err := check.AddPlan(p); err != nil {
		return nil, antq.Invalid("Kế hoạch không hợp lệ: "+err.Error(), nil)
	}
	user, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := db.findUnitByCode(ctx, db.read, p.RootUnit, antq.Date{}); err != nil {
		if antq.ErrorCode(err) == antq.ENOTFOUND {
			return nil, antq.Invalid("Kế hoạch không hợp lệ", map[string]string{"root_unit": "không có đơn vị mã " + p.RootUnit + " trong phạm vi của bạn"})
		}
		return nil, err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		var old *string
		if err := tx.QueryRowContext(ctx, `SELECT body FROM plans WHERE id = $1`, p.ID).Scan(&old); err != nil && !errNoRows(err) {
			return fmt.Errorf("load plan: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO plans (id, body, loaded_at, loaded_by) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET body = excluded.body, loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by`,
			p.ID, string(body), tx.now, user.Username); err != nil {
			return fmt.Errorf("load plan: %w", err)
		}
		action := "create"
		if old != nil {
			action = "update"
		}
		return db.audit(ctx, tx, auditEntry{Action: action, Entity: "plan", Key: p.ID, Old: old, New: string(body)})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Plan returns a plan by id; ENOTFOUND if there is none.
func (db *DB) Plan(ctx context.Context, id string) (*rules.Plan, *rules.Catalog, error) {
	c, err := db.Catalog(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := c.Plan(id)
	if err != nil {
		return nil, nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy kế hoạch %q", id)
	}
	return p, c, nil
}
