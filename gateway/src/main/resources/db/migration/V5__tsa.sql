-- RFC 3161 timestamps of signed tree heads (issue 5, point 2), optional (spie.ledger.tsa.url). Written by the
-- HeadTimestamper thread after the head is published, never by the request transactions nor by the ledger writer.
-- A head without a row here is in the timestamping backlog.
CREATE TABLE tree_head_timestamp (
    tree_size   BIGINT         NOT NULL PRIMARY KEY REFERENCES tree_head (tree_size),
    token       VARCHAR(100000) NOT NULL,  -- base64 DER TimeStampToken over SHA-256(TreeHead.toCanonicalBytes())
    gen_time    TIMESTAMP WITH TIME ZONE NOT NULL,  -- the time the TSA asserts (from the token)
    tsa_name    VARCHAR(500)   NOT NULL,   -- the token's tsa field, else its signing certificate's subject
    tsa_serial  VARCHAR(64)    NOT NULL,   -- the token's serial number, hex
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
