-- Last sequence number handed out per certificate series (BLK, kejuruan, issue year).
-- Taken with one atomic upsert outside the command's transaction: concurrent issuers wait
-- a moment on the row instead of failing on a shared stream; a number taken by a command
-- that then lost a race is skipped (numbers stay unique, gaps are possible).
CREATE TABLE IF NOT EXISTS certificate_series (
    blk_code  text    NOT NULL,
    kejuruan  text    NOT NULL,
    year      integer NOT NULL,
    issued    integer NOT NULL CHECK (issued > 0),
    PRIMARY KEY (blk_code, kejuruan, year)
);
