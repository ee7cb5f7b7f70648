-- quitt schema 0009: the webhook outbox is filled by the store's Write (SqliteCaseStore::Write,
-- the one place that inserts case events), not by a trigger on case_events. The trigger ran a
-- sub-program and a statement journal for every event even when no client had an endpoint, a
-- fifth of the daily run's write time; Write looks up the active endpoints once per client and
-- batch and adds the same rows (client, endpoint, case, seq, next attempt = recorded at) in the
-- same transaction as the events. The append-only triggers of case_events stay.
DROP TRIGGER case_events_to_webhook_outbox;
