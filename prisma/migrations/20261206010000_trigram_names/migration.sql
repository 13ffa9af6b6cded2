-- "Did you mean …": the closest account names are found by Postgres (pg_trgm similarity on a
-- trigram index), not by comparing the query with every name in JavaScript.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "accounts_normalized_name_trgm_idx" ON "accounts" USING GIN ("normalized_name" gin_trgm_ops);
