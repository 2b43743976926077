-- An account created or reset by an administrator carries a first password
-- that its owner must change at the next login: until then the browser
-- session reaches only the own-account page (issue 16 item 14).
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
