use super::*;
use crate::sim::topology::Topology;

fn default_zones() -> Zones {
    Topology::default_world().zones().clone()
}

fn exchange(preference: u16, name: &str, address: Option<[u8; 4]>) -> MxExchange {
    MxExchange {
        preference,
        name: name.into(),
        address: address.map(Ipv4Addr::from),
    }
}

fn query(name: &str, qtype: DnsType) -> DnsMessage {
    DnsMessage::query(0x1234, name.parse().unwrap(), qtype)
}

// ---- the server ----

#[test]
fn mx_answer_is_authoritative_with_glue_in_the_additional_section() {
    let response = answer(&default_zones(), &query("beta.example", DnsType::Mx)).unwrap();
    assert!(response.is_response && response.authoritative);
    assert_eq!(response.id, 0x1234);
    assert_eq!(response.rcode, DnsRcode::NoError);
    let answers: Vec<String> = response
        .answers
        .iter()
        .map(|r| r.record.to_string())
        .collect();
    assert_eq!(
        answers,
        ["MX 10 mx1.beta.example", "MX 20 mx2.beta.example"]
    );
    let glue: Vec<String> = response
        .additionals
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        glue,
        [
            "mx1.beta.example 3600 IN A 198.51.100.25",
            "mx2.beta.example 3600 IN A 198.51.100.26"
        ]
    );
}

#[test]
fn a_missing_name_is_nxdomain_and_a_missing_type_is_nodata() {
    let zones = default_zones();
    let missing = answer(&zones, &query("nonexistent.example", DnsType::Mx)).unwrap();
    assert_eq!(missing.rcode, DnsRcode::NameError);
    assert!(missing.answers.is_empty());
    let nodata = answer(&zones, &query("mx1.beta.example", DnsType::Mx)).unwrap();
    assert_eq!(nodata.rcode, DnsRcode::NoError);
    assert!(nodata.answers.is_empty());
    let aaaa = answer(&zones, &query("mx1.beta.example", DnsType::Aaaa)).unwrap();
    assert_eq!((aaaa.rcode, aaaa.answers.len()), (DnsRcode::NoError, 0));
}

#[test]
fn ptr_txt_and_a_are_answered() {
    let zones = default_zones();
    let ptr = answer(&zones, &query("25.100.51.198.in-addr.arpa", DnsType::Ptr)).unwrap();
    assert_eq!(ptr.answers[0].record.to_string(), "PTR mx1.beta.example");
    let a = answer(&zones, &query("MX1.Beta.Example", DnsType::A)).unwrap();
    assert_eq!(
        a.answers[0].record,
        DnsRecord::A(Ipv4Addr::new(198, 51, 100, 25))
    );
    assert_eq!(a.answers[0].name.to_string(), "MX1.Beta.Example");
    let txt = answer(&zones, &query("beta.example", DnsType::Txt)).unwrap();
    assert!(txt.answers[0].record.to_string().contains("v=spf1"));
}

#[test]
fn a_response_is_never_answered_and_bad_bytes_get_formerr() {
    let zones = default_zones();
    let mut response = query("beta.example", DnsType::Mx);
    response.is_response = true;
    assert!(answer(&zones, &response).is_none());
    let mut two = query("beta.example", DnsType::Mx);
    two.questions.push(two.questions[0].clone());
    assert_eq!(answer(&zones, &two).unwrap().rcode, DnsRcode::FormatError);

    let mut bytes = query("beta.example", DnsType::Mx).emit().unwrap();
    bytes.truncate(bytes.len() - 3);
    let reply = DnsMessage::parse(&answer_bytes(&zones, &bytes).unwrap()).unwrap();
    assert_eq!((reply.id, reply.rcode), (0x1234, DnsRcode::FormatError));
    assert!(answer_bytes(&zones, &[1, 2, 3]).is_none());
}

#[test]
fn answer_bytes_never_panics() {
    let zones = default_zones();
    let mut rng = SimRng::new(7);
    for length in 0..200 {
        let bytes: Vec<u8> = (0..length).map(|_| rng.next_u32() as u8).collect();
        let _ = answer_bytes(&zones, &bytes);
        let mut valid = query("beta.example", DnsType::Mx).emit().unwrap();
        let at = length % valid.len();
        valid[at] ^= rng.next_u32() as u8;
        let _ = answer_bytes(&zones, &valid);
    }
}

// ---- the MX lookup ----

#[test]
fn beta_routes_to_mx1_then_mx2_with_addresses() {
    let resolution = resolve_mx(&default_zones(), "beta.example", &mut SimRng::new(1));
    assert_eq!(
        resolution,
        MxResolution::Exchanges(vec![
            exchange(10, "mx1.beta.example", Some([198, 51, 100, 25])),
            exchange(20, "mx2.beta.example", Some([198, 51, 100, 26])),
        ])
    );
}

#[test]
fn alpha_routes_to_its_mail_server() {
    let zones = default_zones();
    let address = zones.addresses_of("mail.alpha.example").unwrap()[0];
    let MxResolution::Exchanges(exchanges) =
        resolve_mx(&zones, "Alpha.Example.", &mut SimRng::new(1))
    else {
        panic!("alpha.example has an MX");
    };
    assert_eq!(exchanges.len(), 1);
    assert_eq!(exchanges[0].name, "mail.alpha.example");
    assert_eq!(exchanges[0].address, Some(address));
}

#[test]
fn a_domain_with_only_an_address_is_its_own_exchange() {
    let zones = default_zones();
    let address = zones.addresses_of("relay.example").unwrap()[0];
    assert_eq!(
        resolve_mx(&zones, "relay.example", &mut SimRng::new(1)),
        MxResolution::Exchanges(vec![MxExchange {
            preference: 0,
            name: "relay.example".into(),
            address: Some(address),
        }])
    );
}

#[test]
fn a_null_mx_means_no_mail() {
    let mut zones = default_zones();
    zones.set_mx("beta.example", &[(0, ".")]).unwrap();
    assert_eq!(
        resolve_mx(&zones, "beta.example", &mut SimRng::new(1)),
        MxResolution::NullMx
    );
}

#[test]
fn mx_records_that_all_name_the_root_take_no_mail_even_with_an_address() {
    // MX records are present, so the domain's own A record must not be used as an implicit
    // MX (RFC 5321 §5.1); the root is no host, whatever the preference (RFC 7505 §3).
    for records in [&[(10, ".")][..], &[(0, "."), (20, ".")]] {
        let mut zones = default_zones();
        zones.set_mx("beta.example", records).unwrap();
        let a = RecordData::A(Ipv4Addr::new(198, 51, 100, 25));
        zones
            .add_record(ResourceRecord::new("beta.example", a))
            .unwrap();
        assert_eq!(
            resolve_mx(&zones, "beta.example", &mut SimRng::new(1)),
            MxResolution::NullMx,
            "{records:?}"
        );
    }
}

#[test]
fn unknown_domains_and_names_without_mx_or_address_do_not_exist_for_mail() {
    let zones = default_zones();
    for domain in ["nonexistent.example", "nowhere.invalid", "", "a..b"] {
        assert_eq!(
            resolve_mx(&zones, domain, &mut SimRng::new(1)),
            MxResolution::NoSuchDomain,
            "{domain}"
        );
    }
    // _dmarc.beta.example exists (TXT) but has neither MX nor A.
    assert_eq!(
        resolve_mx(&zones, "_dmarc.beta.example", &mut SimRng::new(1)),
        MxResolution::NoSuchDomain
    );
}

#[test]
fn an_exchange_without_glue_is_looked_up_and_one_without_address_is_kept_unaddressed() {
    let mut zones = default_zones();
    zones
        .set_mx(
            "beta.example",
            &[(5, "mx9.beta.example"), (10, "mx1.beta.example")],
        )
        .unwrap();
    assert_eq!(
        resolve_mx(&zones, "beta.example", &mut SimRng::new(1)),
        MxResolution::Exchanges(vec![
            exchange(5, "mx9.beta.example", None),
            exchange(10, "mx1.beta.example", Some([198, 51, 100, 25])),
        ])
    );
}

#[test]
fn equal_preferences_are_shuffled_per_seed_and_deterministic() {
    let mut zones = default_zones();
    zones
        .set_mx(
            "beta.example",
            &[(10, "mx1.beta.example"), (10, "mx2.beta.example")],
        )
        .unwrap();
    let first = |seed: u64| match resolve_mx(&zones, "beta.example", &mut SimRng::new(seed)) {
        MxResolution::Exchanges(exchanges) => exchanges[0].name.clone(),
        other => panic!("{other:?}"),
    };
    let firsts: Vec<String> = (0..16).map(first).collect();
    assert!(firsts.iter().any(|n| n == "mx1.beta.example"));
    assert!(firsts.iter().any(|n| n == "mx2.beta.example"));
    for seed in 0..16 {
        assert_eq!(first(seed), firsts[seed as usize]);
    }
}

#[test]
fn order_by_preference_only_shuffles_within_a_preference() {
    let mut rng = SimRng::new(3);
    for _ in 0..20 {
        let mut list: Vec<MxExchange> = [30, 10, 20, 10, 30, 10]
            .iter()
            .enumerate()
            .map(|(i, &p)| exchange(p, &format!("mx{i}"), None))
            .collect();
        order_by_preference(&mut list, &mut rng);
        let preferences: Vec<u16> = list.iter().map(|e| e.preference).collect();
        assert_eq!(preferences, [10, 10, 10, 20, 30, 30]);
    }
}

#[test]
fn a_silent_server_gets_one_retry_then_temporary() {
    let mut rng = SimRng::new(1);
    let mut lookup = MxLookup::new("beta.example", &mut rng);
    let first = lookup.poll_query().unwrap();
    assert!(lookup.poll_query().is_none(), "one query per attempt");
    lookup.handle_timeout();
    let second = lookup.poll_query().unwrap();
    assert_eq!(first, second);
    assert_eq!(lookup.result(), None);
    lookup.handle_timeout();
    assert_eq!(lookup.result(), Some(&MxResolution::Temporary));
    assert!(lookup.poll_query().is_none());
}

#[test]
fn servfail_is_temporary_and_foreign_responses_are_ignored() {
    let zones = default_zones();
    let mut rng = SimRng::new(1);
    let mut lookup = MxLookup::new("beta.example", &mut rng);
    let query = lookup.poll_query().unwrap();
    let mut stranger = answer(&zones, &query).unwrap();
    stranger.id = stranger.id.wrapping_add(1);
    assert!(!lookup.handle_response(&stranger, &mut rng));
    let mut other_question = answer(&zones, &query).unwrap();
    other_question.questions[0].qtype = DnsType::A;
    assert!(!lookup.handle_response(&other_question, &mut rng));
    let mut failure = DnsMessage::response_to(&query);
    failure.rcode = DnsRcode::ServerFailure;
    assert!(lookup.handle_response(&failure, &mut rng));
    assert_eq!(lookup.result(), Some(&MxResolution::Temporary));
}
