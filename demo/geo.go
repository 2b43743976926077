package demo

import (
	"bytes"
	"context"
	"embed"

	"antq"
	"antq/geo"
	"antq/store"
)

// The boundary layers the demo's maps need (sources and licences in
// data/geo/README.md): Bình Phước's 11 districts before 1 July 2025, the
// 34 provinces and Đồng Nai's 95 communes from 1 July 2025.
//
//go:embed data/geo/*.geojson
var geoFS embed.FS

// BoundaryFile is one embedded layer and the period it holds for.
type BoundaryFile struct {
	Path      string
	ValidFrom antq.Date
	ValidTo   antq.Date
}

// BoundaryFiles lists the demo's layers. The district geometry dates from
// 2019 (daohoangson/dvhcvn, from gis.chinhphu.vn); no district boundary of
// Bình Phước changed before the districts ended on 30/06/2025.
var BoundaryFiles = []BoundaryFile{
	{"data/geo/binh-phuoc-districts-2024.geojson", antq.NewDate(2019, 10, 1), BinhPhuocTo},
	{"data/geo/vn-provinces-2025.geojson", antq.NewDate(2025, 7, 1), antq.Date{}},
	{"data/geo/dong-nai-communes-2025.geojson", antq.NewDate(2025, 7, 1), antq.Date{}},
}

// Boundaries parses and simplifies an embedded layer as `antq geo import`
// does.
func Boundaries(f BoundaryFile) (store.BoundaryLayer, error) {
	b, err := geoFS.ReadFile(f.Path)
	if err != nil {
		return store.BoundaryLayer{}, err
	}
	c, err := geo.Parse(f.Path, bytes.NewReader(b))
	if err != nil {
		return store.BoundaryLayer{}, err
	}
	shapes, _ := geo.Prepare(c, 0)
	return store.BoundaryLayer{File: f.Path, Source: c.SourceOf(f.Path), ValidFrom: f.ValidFrom, ValidTo: f.ValidTo, Shapes: shapes}, nil
}

// LoadBoundaries loads every layer of the demo (a second run replaces them
// with the same shapes).
func LoadBoundaries(ctx context.Context, db *store.DB) (shapes int, err error) {
	for _, f := range BoundaryFiles {
		l, err := Boundaries(f)
		if err != nil {
			return shapes, err
		}
		res, err := db.ImportBoundaries(ctx, l)
		if err != nil {
			return shapes, err
		}
		shapes += res.Shapes
	}
	return shapes, nil
}
