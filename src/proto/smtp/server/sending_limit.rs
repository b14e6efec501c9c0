//! A sending limit per account, as a shared relay sets one: each account may have so many
//! messages accepted in each hour of the server's clock (a local policy; RFC 5321 leaves
//! limits to the operator). Over it, MAIL is refused with `451 4.7.1`: 451 is one of MAIL's
//! replies (RFC 5321 §4.2.2, §4.3.2), class 4 says the very same command may work later
//! (RFC 3463 §2: persistent transient failure) and X.7.1 that policy does not allow it now
//! (RFC 3463 §3.8). The text says the limit and when the count starts again.
//!
//! The engine only reads the count. Whoever runs the server keeps a [`SendingLedger`] across
//! sessions from the messages its sessions accept, and hands it to each session before its
//! input ([`SmtpServer::set_sending_ledger`](super::SmtpServer::set_sending_ledger)); a
//! session also counts what it accepts itself, so messages pipelined in one input are counted.

/// Seconds in an hour: the count starts again at every full hour (Unix time).
const SECONDS_PER_HOUR: i64 = 3600;

/// How many messages each account may send per hour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendingLimit {
    pub messages_per_hour: u32,
}

/// Messages each account has had accepted, in the hour it last sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendingLedger {
    accounts: Vec<AccountHour>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct AccountHour {
    user: String,
    /// Unix time / 3600.
    hour: i64,
    sent: u32,
}

/// The account has used up its hour: MAIL gets `451 4.7.1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitReached {
    pub user: String,
    pub limit: u32,
    /// When the count starts again (Unix seconds, a full hour).
    pub next_hour: i64,
    /// When it was refused (Unix seconds).
    pub now: i64,
}

fn hour_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(SECONDS_PER_HOUR)
}

impl SendingLedger {
    /// One more message accepted from `user` at `now` (Unix seconds).
    pub fn record(&mut self, user: &str, now: i64) {
        let hour = hour_of(now);
        match self
            .accounts
            .iter_mut()
            .find(|account| account.user == user)
        {
            Some(account) if account.hour == hour => account.sent += 1,
            Some(account) => {
                account.hour = hour;
                account.sent = 1;
            }
            None => self.accounts.push(AccountHour {
                user: user.to_string(),
                hour,
                sent: 1,
            }),
        }
    }

    /// Messages accepted from `user` in the hour `now` falls in.
    pub fn sent_this_hour(&self, user: &str, now: i64) -> u32 {
        let hour = hour_of(now);
        self.accounts
            .iter()
            .find(|account| account.user == user && account.hour == hour)
            .map_or(0, |account| account.sent)
    }
}

impl SendingLimit {
    /// Whether `user` may start one more message at `now`.
    pub fn check(&self, ledger: &SendingLedger, user: &str, now: i64) -> Result<(), LimitReached> {
        if ledger.sent_this_hour(user, now) < self.messages_per_hour {
            return Ok(());
        }
        Err(LimitReached {
            user: user.to_string(),
            limit: self.messages_per_hour,
            next_hour: (hour_of(now) + 1) * SECONDS_PER_HOUR,
            now,
        })
    }
}

impl LimitReached {
    /// The reply text: `Sending limit reached: ani may send 5 messages per hour through
    /// relay.example; try again after 01:00 UTC (in 47 min)`.
    pub fn reply_text(&self, host_name: &str) -> String {
        let at = self.next_hour.rem_euclid(86_400) / SECONDS_PER_HOUR;
        let minutes = (self.next_hour - self.now + 59) / 60;
        format!(
            "Sending limit reached: {} may send {} messages per hour through {host_name}; \
             try again after {at:02}:00 UTC (in {minutes} min)",
            self.user, self.limit
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-01-01T10:00:00Z, the start of an hour.
    const TEN: i64 = 1_767_261_600;
    const FIVE: SendingLimit = SendingLimit {
        messages_per_hour: 5,
    };

    fn sent(user: &str, times: &[i64]) -> SendingLedger {
        let mut ledger = SendingLedger::default();
        for &at in times {
            ledger.record(user, at);
        }
        ledger
    }

    #[test]
    fn under_the_limit_mail_is_allowed() {
        let ledger = sent("ani", &[TEN, TEN + 60, TEN + 120, TEN + 180]);
        assert_eq!(ledger.sent_this_hour("ani", TEN + 240), 4);
        assert_eq!(FIVE.check(&ledger, "ani", TEN + 240), Ok(()));
    }

    #[test]
    fn at_the_limit_the_next_message_is_refused_until_the_next_hour() {
        let ledger = sent("ani", &[TEN, TEN + 60, TEN + 120, TEN + 180, TEN + 240]);
        let refused = FIVE.check(&ledger, "ani", TEN + 780).unwrap_err();
        assert_eq!(
            refused,
            LimitReached {
                user: "ani".into(),
                limit: 5,
                next_hour: TEN + 3600,
                now: TEN + 780,
            }
        );
        assert_eq!(
            refused.reply_text("relay.example"),
            "Sending limit reached: ani may send 5 messages per hour through relay.example; \
             try again after 11:00 UTC (in 47 min)"
        );
    }

    #[test]
    fn over_the_limit_stays_refused_to_the_last_second_of_the_hour() {
        let ledger = sent("ani", &[TEN; 7]);
        assert_eq!(ledger.sent_this_hour("ani", TEN + 3599), 7);
        let refused = FIVE.check(&ledger, "ani", TEN + 3599).unwrap_err();
        assert!(refused.reply_text("r").ends_with("(in 1 min)"));
    }

    #[test]
    fn a_new_hour_starts_the_count_again() {
        let mut ledger = sent("ani", &[TEN + 3000; 5]);
        assert!(FIVE.check(&ledger, "ani", TEN + 3599).is_err());
        assert_eq!(ledger.sent_this_hour("ani", TEN + 3600), 0);
        assert_eq!(FIVE.check(&ledger, "ani", TEN + 3600), Ok(()));
        ledger.record("ani", TEN + 3600);
        assert_eq!(ledger.sent_this_hour("ani", TEN + 3601), 1);
        let before_midnight = TEN + 14 * 3600 - 1;
        let late = sent("ani", &[before_midnight; 5]);
        let refused = FIVE.check(&late, "ani", before_midnight).unwrap_err();
        assert!(refused
            .reply_text("r")
            .contains("after 00:00 UTC (in 1 min)"));
    }

    #[test]
    fn each_account_has_its_own_count() {
        let mut ledger = sent("ani", &[TEN; 5]);
        ledger.record("toko", TEN);
        assert!(FIVE.check(&ledger, "ani", TEN + 1).is_err());
        assert_eq!(ledger.sent_this_hour("toko", TEN + 1), 1);
        assert_eq!(FIVE.check(&ledger, "toko", TEN + 1), Ok(()));
        assert_eq!(FIVE.check(&ledger, "citra", TEN + 1), Ok(()));
    }
}
