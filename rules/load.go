package rules

import "reflect"

// LoadRuleSet reads a rule set file. file names the file in errors. Every
// error is a LoadErrors listing each problem with its line, column and JSON
// path.
func LoadRuleSet(file string, data []byte) (*RuleSet, error) {
	rs := &RuleSet{}
	if err := load(file, data, rs); err != nil {
		return nil, err
	}
	rs.link()
	return rs, nil
}

// LoadPlan reads a plan file. References to rule sets are checked when the
// plan is added to a Catalog. Every error is a LoadErrors.
func LoadPlan(file string, data []byte) (*Plan, error) {
	p := &Plan{}
	if err := load(file, data, p); err != nil {
		return nil, err
	}
	return p, nil
}

// ruleFile is what the loaders read, a rule set or a plan: it keeps its file
// so that later errors (a catalog's) still point into it, and checks itself.
type ruleFile interface {
	file() *source
	setFile(*source)
	check(c *checker)
}

func (rs *RuleSet) file() *source       { return rs.src }
func (rs *RuleSet) setFile(src *source) { rs.src = src }
func (p *Plan) file() *source           { return p.src }
func (p *Plan) setFile(src *source)     { p.src = src }

// load decodes data strictly into f, keeps the file and runs f's checks.
func load(file string, data []byte, f ruleFile) error {
	src, err := decodeFile(file, data, f)
	if err != nil {
		return err
	}
	f.setFile(src)
	return checked(f).err()
}

// checked runs f's own checks; the caller may fail more before err.
func checked(f ruleFile) *checker {
	c := newChecker(f.file())
	f.check(c)
	return c
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
