//! Whatever a learner does to the default world — switching servers, routers and dns.example
//! off and on, pulling cables, adding noise, filling dewi's mailbox — no mail is lost
//! silently: each recipient of each message ani sends ends delivered into its mailbox (once),
//! bounced back to ani (RFC 5321 §4.5.5, RFC 3464), still in a queue, or refused at
//! submission, and the log says which. The same seed and the same changes give the same run.

mod world_mail;

use kurir::sim::world::World;
use proptest::prelude::*;
use world_mail::{check_no_mail_lost, run, schedule};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn every_message_ends_delivered_bounced_queued_or_refused(
        seed in any::<u64>(),
        schedule in schedule(),
    ) {
        let finished = run(World::default_world(seed), &schedule);
        check_no_mail_lost(&finished)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]
    #[test]
    fn the_same_seed_and_changes_give_the_same_run(
        seed in any::<u64>(),
        schedule in schedule(),
    ) {
        let a = run(World::default_world(seed), &schedule);
        let b = run(World::default_world(seed), &schedule);
        prop_assert_eq!(a.world.log().stable_hash(), b.world.log().stable_hash());
        prop_assert_eq!(a.world.pcap(), b.world.pcap());
    }
}
