-- Login attempts, shared by every server so throttling holds across a
-- cluster. username is the name as typed when it is a valid user name
-- (else a hash of it); remote_addr is the client address (IPv6 as its /64).
CREATE TABLE login_attempts (
    id          INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    username    TEXT      NOT NULL,
    remote_addr TEXT      NOT NULL,
    success     INTEGER   NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts (username, at);
CREATE INDEX login_attempts_addr ON login_attempts (remote_addr, at);
CREATE INDEX login_attempts_at ON login_attempts (at);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX audit_log_username ON audit_log (username);
