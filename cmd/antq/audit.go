package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"antq"
	"antq/store"
)

// cmdAuditVerify walks the audit trail's hash chain. It lists every record
// that was altered and every broken link (a deleted or inserted record),
// and fails (exit 1) when there is any. With --anchor ID:HASH, a record id
// and hash noted earlier outside the database, it also detects the newest
// records being cut off, which an intact shorter chain cannot show.
func cmdAuditVerify(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("audit verify", "audit verify [--anchor ID:HASH]")
	anchor := fs.String("anchor", "", "a record id and hash printed by an earlier run (ID:HASH), kept outside the database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var anchorID int64
	var anchorHash string
	if *anchor != "" {
		id, hash, ok := strings.Cut(*anchor, ":")
		n, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil || n <= 0 || len(hash) != 64 {
			return antq.Invalid("--anchor không hợp lệ", map[string]string{"anchor": "cần dạng ID:HASH (HASH gồm 64 ký tự hex)"})
		}
		anchorID, anchorHash = n, hash
	}
	return app.withDB(ctx, false, func(db *store.DB) error {
		if err := db.CheckSchema(ctx); err != nil {
			return err
		}
		checked, problems, err := db.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		for _, p := range problems {
			fmt.Fprintf(app.Stdout, "bản ghi %d: %s\n", p.ID, p.Reason)
		}
		broken := len(problems)
		if anchorID > 0 {
			hash, err := db.AuditHashOf(ctx, anchorID)
			switch {
			case antq.ErrorCode(err) == antq.ENOTFOUND:
				broken++
				fmt.Fprintf(app.Stdout, "bản ghi neo %d không còn trong nhật ký (bị xóa hoặc cắt bớt)\n", anchorID)
			case err != nil:
				return err
			case hash != anchorHash:
				broken++
				fmt.Fprintf(app.Stdout, "bản ghi neo %d có mã băm khác với mã đã lưu\n", anchorID)
			}
		}
		headID, headHash, err := db.AuditHead(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(app.Stdout, "Đã kiểm tra %d bản ghi nhật ký; bản ghi mới nhất: %d:%s\n", checked, headID, headHash)
		if broken > 0 {
			return antq.Errorf(antq.ECONFLICT, "nhật ký có %d vấn đề: chuỗi mã băm bị phá vỡ (audit chain broken)", broken)
		}
		fmt.Fprintln(app.Stdout, "Chuỗi mã băm toàn vẹn (audit chain intact). Lưu mã neo trên ở nơi khác để lần sau dùng --anchor.")
		return nil
	})
}
