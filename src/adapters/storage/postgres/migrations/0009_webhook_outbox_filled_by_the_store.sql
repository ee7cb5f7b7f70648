-- quitt schema 0009 (PostgreSQL): nothing to change here. The SQLite migration of this number
-- replaces a per-row trigger by rows the store writes itself; the PostgreSQL trigger runs once
-- per statement (FOR EACH STATEMENT over the inserted rows) and stays.
SELECT 1;
