package web

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"antq"
)

// The public page: no login. It shows only what antq.Exemplar.Public lets
// through — published cases, cut to the consented fields — grouped by
// province and commune.

type publicCommune struct {
	Code, Name string
	Cases      []*antq.PublicCase
}

type publicProvince struct {
	Code, Name string
	Communes   []*publicCommune
}

type publicPage struct {
	Layout
	Unit      string
	Provinces []*publicProvince
	Count     int
	// Nominees are the nominations under public disclosure today.
	Nominees []*antq.PublicNomination
}

// groupPublic groups cases (newest first) by province, then commune, in
// the order they first appear.
func groupPublic(cases []*antq.PublicCase) []*publicProvince {
	var out []*publicProvince
	prov := map[string]*publicProvince{}
	comm := map[string]*publicCommune{}
	for _, c := range cases {
		p := prov[c.ProvinceCode]
		if p == nil {
			p = &publicProvince{Code: c.ProvinceCode, Name: c.ProvinceName}
			if p.Name == "" {
				p.Name = "Đơn vị khác"
			}
			prov[c.ProvinceCode] = p
			out = append(out, p)
		}
		key := c.ProvinceCode + "/" + c.CommuneCode
		m := comm[key]
		if m == nil {
			m = &publicCommune{Code: c.CommuneCode, Name: c.CommuneName}
			if m.Name == "" {
				m.Name = "Cơ quan, đơn vị cấp trên xã"
			}
			comm[key] = m
			p.Communes = append(p.Communes, m)
		}
		m.Cases = append(m.Cases, c)
	}
	return out
}

// GET /public?unit=CODE
func (s *Server) publicShow(w http.ResponseWriter, r *http.Request) {
	unit := r.URL.Query().Get("unit")
	cases, err := s.DB.PublicCases(r.Context(), unit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := publicPage{Layout: s.layout(r, "Gương người tốt, việc tốt"), Unit: unit, Provinces: groupPublic(cases), Count: len(cases)}
	if p.Nominees, err = s.DB.PublicNominations(r.Context(), unit); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "public", p)
}

type publicCasePage struct {
	Layout
	Case *antq.PublicCase
}

func (s *Server) publicCase(w http.ResponseWriter, r *http.Request) (*antq.PublicCase, bool) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	c, err := s.DB.PublicCase(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	return c, true
}

// GET /public/cases/{id}
func (s *Server) publicCaseShow(w http.ResponseWriter, r *http.Request) {
	c, ok := s.publicCase(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "public_case", publicCasePage{Layout: s.layout(r, c.Title), Case: c})
}

// GET /public/cases/{id}/photos/{photo}
func (s *Server) publicPhoto(w http.ResponseWriter, r *http.Request) {
	// Not cached for long: a withdrawn case must disappear.
	s.casePhotoFile(w, r, s.DB.OpenPublicPhoto, "public, max-age=300")
}

// pressText is the press kit's text: the case as the public page shows it.
func pressText(c *antq.PublicCase) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", strings.ToUpper(c.Title))
	fmt.Fprintf(&b, "%s: %s", c.Subject, c.Shown)
	if c.BirthYear != 0 {
		fmt.Fprintf(&b, ", sinh năm %d", c.BirthYear)
	}
	if c.RoleLabel != "" {
		fmt.Fprintf(&b, " — %s", c.RoleLabel)
	}
	fmt.Fprintf(&b, "\nĐơn vị: %s", c.UnitName)
	if c.CommuneName != "" && c.CommuneName != c.UnitName {
		fmt.Fprintf(&b, ", %s", c.CommuneName)
	}
	if c.ProvinceName != "" {
		fmt.Fprintf(&b, ", %s", c.ProvinceName)
	}
	fmt.Fprintf(&b, "\nNgày: %s — Nơi diễn ra: %s\n\n%s\n\n%s\n\nNguồn: %s\n", c.OccurredOn.VN(), c.Place, c.Deed, c.Story, c.Source)
	for i, ph := range c.Photos {
		fmt.Fprintf(&b, "\nẢnh %d (anh-%d%s): %s", i+1, i+1, photoExt(ph.ContentType), ph.Caption)
	}
	fmt.Fprintf(&b, "\n\nCông bố ngày %s trên trang công khai của phong trào “Toàn dân bảo vệ an ninh Tổ quốc”.\n", antq.DateOf(c.PublishedAt.In(vnZone)).VN())
	return strings.ReplaceAll(b.String(), "\n", "\r\n")
}

// GET /public/cases/{id}/press-kit.zip — the text and the consented photos.
func (s *Server) publicPressKit(w http.ResponseWriter, r *http.Request) {
	c, ok := s.publicCase(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	modified := c.PublishedAt
	add := func(name string, body io.Reader) error {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		_, err = io.Copy(fw, body)
		return err
	}
	if err := add("bai-viet.txt", strings.NewReader("\uFEFF"+pressText(c))); err != nil {
		s.error(w, r, fmt.Errorf("press kit: %w", err))
		return
	}
	for i, ph := range c.Photos {
		_, f, err := s.DB.OpenPublicPhoto(r.Context(), c.ID, ph.ID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		err = add(fmt.Sprintf("anh-%d%s", i+1, photoExt(ph.ContentType)), f)
		f.Close()
		if err != nil {
			s.error(w, r, fmt.Errorf("press kit: %w", err))
			return
		}
	}
	if err := z.Close(); err != nil {
		s.error(w, r, fmt.Errorf("press kit: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fmt.Sprintf("guong-dien-hinh-%d.zip", c.ID)}))
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Last-Modified", c.PublishedAt.UTC().Format(http.TimeFormat))
	w.Write(buf.Bytes())
}
