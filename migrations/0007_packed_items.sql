-- Items hold their body deflated (src/store/pack.ts), about 1.5 KB a row
-- for a 5 KB item. A WITHOUT ROWID table keeps at most about a quarter of a
-- page (1 KB of a 4 KB page) of a row in the page and puts the rest on an
-- overflow page of its own, mostly empty: 4.5 KB for each 1.5 KB item. A
-- rowid table keeps rows up to a whole page in the page, so two or three
-- items share one. The key (entry, format) becomes a unique index; the
-- reads look items up through it as before.
CREATE TABLE items_by_rowid (
  entry INTEGER NOT NULL,
  format TEXT NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (entry, format)
);
INSERT INTO items_by_rowid (entry, format, body) SELECT entry, format, body FROM items;
DROP TABLE items;
ALTER TABLE items_by_rowid RENAME TO items;
