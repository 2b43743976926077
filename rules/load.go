package rules

import "reflect"

// LoadRuleSet reads a rule set file. file names the file in errors. Every
// error is a LoadErrors listing each problem with its line, column and JSON
// path.
func LoadRuleSet(file string, data []byte) (*RuleSet, error) {
	rs := &RuleSet{}
	src, err := decodeFile(file, data, rs)
	if err != nil {
		return nil, err
	}
	rs.src = src
	c := newChecker(src)
	rs.check(c)
	if err := c.err(); err != nil {
		return nil, err
	}
	rs.link()
	return rs, nil
}

// LoadPlan reads a plan file. References to rule sets are checked when the
// plan is added to a Catalog. Every error is a LoadErrors.
func LoadPlan(file string, data []byte) (*Plan, error) {
	p := &Plan{}
	src, err := decodeFile(file, data, p)
	if err != nil {
		return nil, err
	}
	p.src = src
	c := newChecker(src)
	p.check(c)
	if err := c.err(); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeFile parses data and decodes it strictly into v (a pointer to a
// struct).
func decodeFile(file string, data []byte, v any) (*source, error) {
	root, src, err := parse(file, data)
	if err != nil {
		return nil, err
	}
	d := &decoder{src: src}
	d.decode(root, reflect.ValueOf(v).Elem(), "")
	if len(d.errs) > 0 {
		return nil, d.errs.sorted()
	}
	return src, nil
}
