package web

// scopedForm hands a shared form fragment (the "doc" fieldset of
// facts.html) its form's state and a prefix that makes its ids unique on
// the page, so that each field's error can be tied to it with
// aria-describedby (WCAG 3.3.1).
type scopedForm struct {
	ID   string // id prefix, e.g. "registration"
	Form any    // the form's state
}

// scope is the template function that builds a scopedForm.
func scope(id string, form any) scopedForm { return scopedForm{ID: id, Form: form} }
