//! Frames of every kind the wire module makes, for the tests of the capture writer and the
//! layer tree: ARP request and reply, a DNS MX query and answer, a TCP handshake with MSS,
//! an SMTP greeting and EHLO.

use std::net::Ipv4Addr;

use super::arp::ArpRepr;
use super::dns::{DnsClass, DnsMessage, DnsRecord, DnsResourceRecord, DnsType};
use super::ethernet::{EtherType, EthernetRepr, MacAddress};
use super::ipv4::{IpProtocol, Ipv4Repr};
use super::tcp::{TcpFlags, TcpRepr};
use super::udp::UdpRepr;

const ANI_MAC: MacAddress = MacAddress([0x02, 0, 0, 0, 0, 0x0a]);
const SERVER_MAC: MacAddress = MacAddress([0x02, 0, 0, 0, 0, 0x19]);
const ANI_IP: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 10);
const DNS_IP: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 53);
const MAIL_IP: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 25);

fn ethernet(
    src_addr: MacAddress,
    dst_addr: MacAddress,
    ethertype: EtherType,
    payload: &[u8],
) -> Vec<u8> {
    EthernetRepr {
        src_addr,
        dst_addr,
        ethertype,
    }
    .frame_with_payload(payload)
}

fn ipv4_frame(
    src: (MacAddress, Ipv4Addr),
    dst: (MacAddress, Ipv4Addr),
    protocol: IpProtocol,
    payload: &[u8],
) -> Vec<u8> {
    let ip = Ipv4Repr {
        src_addr: src.1,
        dst_addr: dst.1,
        protocol,
        payload_len: payload.len(),
        ttl: Ipv4Repr::DEFAULT_TTL,
        identification: 1,
        dont_fragment: true,
    };
    ethernet(
        src.0,
        dst.0,
        EtherType::Ipv4,
        &ip.packet_with_payload(payload).unwrap(),
    )
}

fn tcp_frame(
    src: (MacAddress, Ipv4Addr),
    dst: (MacAddress, Ipv4Addr),
    segment: &TcpRepr,
) -> Vec<u8> {
    ipv4_frame(
        src,
        dst,
        IpProtocol::Tcp,
        &segment.to_bytes(src.1, dst.1).unwrap(),
    )
}

fn udp_frame(
    src: (MacAddress, Ipv4Addr),
    dst: (MacAddress, Ipv4Addr),
    datagram: &UdpRepr,
) -> Vec<u8> {
    ipv4_frame(
        src,
        dst,
        IpProtocol::Udp,
        &datagram.to_bytes(src.1, dst.1).unwrap(),
    )
}

/// One frame of every kind this module makes: ARP, DNS over UDP, a TCP handshake with
/// MSS, and SMTP over TCP.
pub(super) fn sample_frames() -> Vec<Vec<u8>> {
    let ani = (ANI_MAC, ANI_IP);
    let dns = (SERVER_MAC, DNS_IP);
    let mail = (SERVER_MAC, MAIL_IP);

    let arp_request = ArpRepr::request(ANI_MAC, ANI_IP, DNS_IP);
    let arp_reply = ArpRepr::reply_to(&arp_request, SERVER_MAC);

    let query = DnsMessage::query(0x4b52, "beta.example".parse().unwrap(), DnsType::Mx);
    let mut response = DnsMessage::response_to(&query);
    response.recursion_available = true;
    response.answers.push(DnsResourceRecord {
        name: "beta.example".parse().unwrap(),
        class: DnsClass::In,
        ttl: 3600,
        record: DnsRecord::Mx {
            preference: 10,
            exchange: "mx1.beta.example".parse().unwrap(),
        },
    });
    let dns_datagram = |src_port, dst_port, message: &DnsMessage| UdpRepr {
        src_port,
        dst_port,
        payload: message.emit().unwrap(),
    };

    let segment = |src_port, dst_port, seq, ack, flags, mss, payload: &[u8]| TcpRepr {
        src_port,
        dst_port,
        seq,
        ack,
        flags,
        window: 64240,
        mss,
        payload: payload.to_vec(),
    };
    let greeting = b"220 mail.alpha.example ESMTP Kurir\r\n";
    let ehlo = b"EHLO laptop-ani.alpha.example\r\n";
    let (client_isn, server_isn) = (1000u32, 5000u32);

    vec![
        ethernet(
            ANI_MAC,
            MacAddress::BROADCAST,
            EtherType::Arp,
            &arp_request.to_bytes(),
        ),
        ethernet(SERVER_MAC, ANI_MAC, EtherType::Arp, &arp_reply.to_bytes()),
        udp_frame(ani, dns, &dns_datagram(53000, 53, &query)),
        udp_frame(dns, ani, &dns_datagram(53, 53000, &response)),
        tcp_frame(
            ani,
            mail,
            &segment(49152, 25, client_isn, 0, TcpFlags::SYN, Some(1460), b""),
        ),
        tcp_frame(
            mail,
            ani,
            &segment(
                25,
                49152,
                server_isn,
                client_isn + 1,
                TcpFlags::SYN_ACK,
                Some(1460),
                b"",
            ),
        ),
        tcp_frame(
            ani,
            mail,
            &segment(
                49152,
                25,
                client_isn + 1,
                server_isn + 1,
                TcpFlags::ACK,
                None,
                b"",
            ),
        ),
        tcp_frame(
            mail,
            ani,
            &segment(
                25,
                49152,
                server_isn + 1,
                client_isn + 1,
                TcpFlags::PSH_ACK,
                None,
                greeting,
            ),
        ),
        tcp_frame(
            ani,
            mail,
            &segment(
                49152,
                25,
                client_isn + 1,
                server_isn + 1 + greeting.len() as u32,
                TcpFlags::PSH_ACK,
                None,
                ehlo,
            ),
        ),
    ]
}
