//! The append-only Merkle audit log (RFC 6962 style).
