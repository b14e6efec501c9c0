//! A user name and password that a mail-reading server (POP3, IMAP) lets in.

/// One account's credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login {
    pub user: String,
    pub password: String,
}
