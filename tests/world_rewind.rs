//! Rewind is exact (docs/ARCHITECTURE.md rule 4): a world rebuilt from its seed and command
//! log up to a position has the same first events, frame for frame, and playing it forward
//! gives the original log to its end.

use kurir::sim::event::stable_hash;
use kurir::sim::scenario;
use kurir::sim::time::{SimDuration, SimTime};
use kurir::sim::world::{Command, RewindError, World};

fn run(name: &str) -> World {
    scenario::find(name).unwrap().run(None).unwrap()
}

fn positions(len: usize) -> Vec<usize> {
    vec![0, 1, len / 3, len / 2, len - 1, len]
}

fn assert_same_prefix(original: &World, rewound: &World, position: usize) {
    assert_eq!(rewound.events().len(), position, "rewound to {position}");
    assert_eq!(rewound.events(), &original.events()[..position]);
    assert_eq!(
        stable_hash(rewound.events()),
        stable_hash(&original.events()[..position])
    );
    for event in rewound.events() {
        if let Some(frame) = event.frame() {
            assert_eq!(rewound.frame(frame), original.frame(frame), "{event}");
        }
    }
}

fn check_scenario(name: &str) {
    let original = run(name);
    let len = original.events().len();
    assert!(len > 10, "{name} logs {len} events");
    for position in positions(len) {
        let mut rewound = original.replay_to(position).unwrap();
        assert_same_prefix(&original, &rewound, position);
        // Playing forward reproduces the rest, to the original's end.
        rewound.run_until(original.now());
        assert_eq!(
            rewound.events(),
            original.events(),
            "{name} from {position}"
        );
        assert_eq!(rewound.log().stable_hash(), original.log().stable_hash());
        assert_eq!(rewound.pcap(), original.pcap());
        assert_eq!(rewound.command_log(), original.command_log());
        assert_eq!(rewound.steps_taken(), original.steps_taken());
        assert_eq!(rewound.snapshot(), original.snapshot());
    }
}

#[test]
fn cross_domain_rewinds_exactly() {
    check_scenario("cross-domain");
}

#[test]
fn unknown_user_bounce_rewinds_exactly() {
    check_scenario("unknown-user-bounce");
}

#[test]
fn commands_later_in_the_timeline_are_replayed() {
    // mailbox-full-retry empties dewi's mailbox at 45 minutes: a command in the middle.
    let original = run("mailbox-full-retry");
    assert_eq!(original.command_log().len(), 2);
    let len = original.events().len();
    for position in positions(len) {
        let mut rewound = original.replay_to(position).unwrap();
        assert_same_prefix(&original, &rewound, position);
        rewound.run_until(original.now());
        assert_eq!(rewound.events(), original.events(), "from {position}");
    }
}

#[test]
fn rewinding_a_rewound_world_and_in_place() {
    let original = run("cross-domain");
    let len = original.events().len();
    let half = original.replay_to(len / 2).unwrap();
    let quarter = half.replay_to(len / 4).unwrap();
    assert_same_prefix(&original, &quarter, len / 4);
    let mut world = run("cross-domain");
    world.rewind_to(len / 2).unwrap();
    assert_same_prefix(&original, &world, len / 2);
    assert!(world.run_until_idle());
    assert_eq!(&world.events()[..len], original.events());
}

#[test]
fn rewinding_past_the_end_is_an_error() {
    let original = run("cross-domain");
    let len = original.events().len();
    assert_eq!(
        original.replay_to(len + 1).err(),
        Some(RewindError::PastEnd {
            position: len + 1,
            len
        })
    );
    assert!(original
        .replay_to(len + 1)
        .err()
        .unwrap()
        .to_string()
        .contains("only"));
}

#[test]
fn a_new_command_after_a_rewind_branches_the_timeline() {
    let original = run("cross-domain");
    let mut world = original.replay_to(0).unwrap();
    assert_eq!(world.scripted_commands().count(), 1);
    let ani = world.topology().host_id("laptop-ani").unwrap();
    world
        .apply(Command::ResolveMx {
            from_host: ani,
            domain: "beta.example".into(),
        })
        .unwrap();
    assert_eq!(world.scripted_commands().count(), 0);
    world.run_until(SimTime::ZERO + SimDuration::from_secs(60));
    assert_ne!(world.log().stable_hash(), original.log().stable_hash());
    assert_eq!(world.command_log().len(), 1);
}

#[test]
fn cost_of_a_rewind_is_the_steps_up_to_it() {
    let original = run("cross-domain");
    let len = original.events().len();
    let middle = original.replay_to(len / 2).unwrap();
    eprintln!(
        "cross-domain: {len} events, {} steps; middle ({}) after {} steps",
        original.steps_taken(),
        len / 2,
        middle.steps_taken()
    );
    assert!(middle.steps_taken() < original.steps_taken());
}
