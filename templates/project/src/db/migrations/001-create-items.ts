/**
 * A migration is a file `NNN-what-it-does.ts` exporting the SQL that moves the schema one
 * version on. Files are applied in the order of their number, once each, and never edited
 * after they shipped: a change is a new file.
 */
export const sql = `
  CREATE TABLE items (
    -- Insertion order, which keeps pages stable (ids are random).
    position    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    id          text PRIMARY KEY,
    name        text NOT NULL,
    description text,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
  )
`;
