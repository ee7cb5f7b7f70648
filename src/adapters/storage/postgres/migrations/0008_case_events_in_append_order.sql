-- quitt schema 0008 (PostgreSQL): nothing to change here. The SQLite migration of this number
-- stores case_events in the order they are written instead of clustered by (client, case, seq);
-- a PostgreSQL heap table is in write order already, and its primary key is a separate B-tree.
SELECT 1;
