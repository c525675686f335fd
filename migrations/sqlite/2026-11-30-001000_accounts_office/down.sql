DROP TABLE partners;
DROP TABLE invitations;
ALTER TABLE users DROP COLUMN password_expires_at;
ALTER TABLE users DROP COLUMN must_change_password;
