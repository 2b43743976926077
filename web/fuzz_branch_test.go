package web_test

import "antq/store"

// What the fuzz targets need from this branch's store, in one place: the
// evidence files directory is a field today (branch w10a moves it into
// store.Options, and storetest gives every test one: delete setFilesDir
// then), and .doc/.xls content is only sniffed, not checked as an OLE2
// compound file (w10a checks the container: set oleContainerChecked).
func setFilesDir(db *store.DB, dir string) { db.FilesDir = dir }

const oleContainerChecked = false
