//! Capture files in the classic libpcap format (draft-ietf-opsawg-pcap §4, §5): a 24-byte
//! file header (magic 0xa1b2c3d4 in this writer's little-endian byte order, version 2.4,
//! snapshot length 65 535, link type 1 = Ethernet) and per frame a 16-byte record header
//! (seconds, microseconds, captured length, original length) followed by the frame bytes.
//! Timestamps are the simulation's virtual time, given by the caller; nothing here reads a
//! clock or touches a file, the caller decides where the bytes go.

/// Link type 1: frames start with an Ethernet II header.
const LINKTYPE_ETHERNET: u32 = 1;
const MAGIC_MICROSECONDS: u32 = 0xa1b2_c3d4;
const VERSION_MAJOR: u16 = 2;
const VERSION_MINOR: u16 = 4;

/// The length of the file header.
pub const FILE_HEADER_LEN: usize = 24;
/// The length of each record header.
pub const RECORD_HEADER_LEN: usize = 16;

/// Builds a capture file in memory, one frame at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PcapWriter {
    bytes: Vec<u8>,
    frame_count: usize,
}

impl Default for PcapWriter {
    fn default() -> Self {
        PcapWriter::new()
    }
}

impl PcapWriter {
    /// The most bytes of a frame the file keeps; longer frames are cut (their original
    /// length is still recorded).
    pub const SNAPSHOT_LEN: u32 = 65_535;

    /// A capture with its file header and no frames yet.
    pub fn new() -> PcapWriter {
        let mut bytes = Vec::with_capacity(FILE_HEADER_LEN);
        bytes.extend_from_slice(&MAGIC_MICROSECONDS.to_le_bytes());
        bytes.extend_from_slice(&VERSION_MAJOR.to_le_bytes());
        bytes.extend_from_slice(&VERSION_MINOR.to_le_bytes());
        bytes.extend_from_slice(&0i32.to_le_bytes()); // timezone offset: always UTC
        bytes.extend_from_slice(&0u32.to_le_bytes()); // timestamp accuracy: unused, zero
        bytes.extend_from_slice(&Self::SNAPSHOT_LEN.to_le_bytes());
        bytes.extend_from_slice(&LINKTYPE_ETHERNET.to_le_bytes());
        PcapWriter {
            bytes,
            frame_count: 0,
        }
    }

    /// Appends an Ethernet frame seen at `timestamp_micros` of virtual time.
    pub fn write_frame(&mut self, timestamp_micros: u64, frame: &[u8]) {
        // Seconds fit in 32 bits for 136 years of virtual time; saturate rather than wrap.
        let seconds = u32::try_from(timestamp_micros / 1_000_000).unwrap_or(u32::MAX);
        let microseconds = (timestamp_micros % 1_000_000) as u32;
        let original_len = u32::try_from(frame.len()).unwrap_or(u32::MAX);
        let captured_len = original_len.min(Self::SNAPSHOT_LEN);
        self.bytes.extend_from_slice(&seconds.to_le_bytes());
        self.bytes.extend_from_slice(&microseconds.to_le_bytes());
        self.bytes.extend_from_slice(&captured_len.to_le_bytes());
        self.bytes.extend_from_slice(&original_len.to_le_bytes());
        self.bytes
            .extend_from_slice(&frame[..captured_len as usize]);
        self.frame_count += 1;
    }

    pub fn frame_count(&self) -> usize {
        self.frame_count
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

#[cfg(test)]
mod test {
    use std::process::Command;

    use super::*;
    use crate::wire::samples::sample_frames;

    #[test]
    fn test_file_header() {
        let bytes = PcapWriter::new().into_bytes();
        assert_eq!(
            bytes,
            [
                0xd4, 0xc3, 0xb2, 0xa1, // magic, little-endian
                0x02, 0x00, 0x04, 0x00, // version 2.4
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // timezone, accuracy
                0xff, 0xff, 0x00, 0x00, // snapshot length 65535
                0x01, 0x00, 0x00, 0x00, // Ethernet
            ]
        );
    }

    #[test]
    fn test_record() {
        let mut writer = PcapWriter::new();
        writer.write_frame(3_000_250, &[0xaa, 0xbb]);
        assert_eq!(writer.frame_count(), 1);
        assert_eq!(
            &writer.as_bytes()[FILE_HEADER_LEN..],
            [
                0x03, 0x00, 0x00, 0x00, // 3 s
                0xfa, 0x00, 0x00, 0x00, // 250 µs
                0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
                0x00, // 2 bytes captured, 2 on the wire
                0xaa, 0xbb,
            ]
        );
    }

    #[test]
    fn test_long_frames_are_cut_to_the_snapshot_length() {
        let mut writer = PcapWriter::new();
        writer.write_frame(0, &vec![0u8; 70_000]);
        let bytes = writer.into_bytes();
        let header = &bytes[FILE_HEADER_LEN..FILE_HEADER_LEN + RECORD_HEADER_LEN];
        assert_eq!(&header[8..12], &65_535u32.to_le_bytes());
        assert_eq!(&header[12..16], &70_000u32.to_le_bytes());
        assert_eq!(bytes.len(), FILE_HEADER_LEN + RECORD_HEADER_LEN + 65_535);
    }

    fn tshark(file: &std::path::Path, extra: &[&str]) -> String {
        let output = Command::new("tshark")
            .arg("-r")
            .arg(file)
            .args([
                "-o",
                "tcp.check_checksum:TRUE",
                "-o",
                "ip.check_checksum:TRUE",
                "-o",
                "udp.check_checksum:TRUE",
            ])
            .args(extra)
            .output()
            .expect("tshark must be installed (Debian package tshark) for the capture check");
        assert!(
            output.status.success(),
            "tshark failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("tshark prints UTF-8")
    }

    /// The capture opens in tshark, which decodes every protocol we emit and finds no
    /// malformed packet and no bad checksum.
    #[test]
    fn test_tshark_reads_every_frame_kind() {
        let mut writer = PcapWriter::new();
        for (index, frame) in sample_frames().iter().enumerate() {
            writer.write_frame(1_000 * index as u64, frame);
        }
        let file = std::env::temp_dir().join(format!("kurir-wire-{}.pcap", std::process::id()));
        std::fs::write(&file, writer.as_bytes()).unwrap();

        let fields = tshark(
            &file,
            &[
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-e",
                "frame.number",
                "-e",
                "frame.protocols",
                "-e",
                "_ws.expert.severity",
                "-e",
                "_ws.expert.message",
                "-e",
                "dns.mx.mail_exchange",
                "-e",
                "smtp.req.command",
            ],
        );
        let verbose = tshark(&file, &["-V"]);
        std::fs::remove_file(&file).unwrap();

        let rows: Vec<Vec<&str>> = fields
            .lines()
            .map(|line| line.split('|').collect())
            .collect();
        assert_eq!(rows.len(), 9, "{fields}");
        let protocols: Vec<&str> = rows.iter().map(|row| row[1]).collect();
        assert_eq!(protocols[0], "eth:ethertype:arp");
        assert_eq!(protocols[1], "eth:ethertype:arp");
        assert_eq!(protocols[2], "eth:ethertype:ip:udp:dns");
        assert_eq!(protocols[3], "eth:ethertype:ip:udp:dns");
        assert!(
            protocols[4..7].iter().all(|p| *p == "eth:ethertype:ip:tcp"),
            "{fields}"
        );
        assert_eq!(protocols[7], "eth:ethertype:ip:tcp:smtp");
        assert_eq!(protocols[8], "eth:ethertype:ip:tcp:smtp");
        assert_eq!(rows[3][4], "mx1.beta.example");
        assert_eq!(rows[8][5], "EHLO");
        for row in &rows {
            // Severities above "chat" (e.g. the SYN note) are warnings or errors.
            let severities = row[2].split(',').filter(|s| !s.is_empty());
            for severity in severities {
                let level: u32 = severity.parse().unwrap_or(u32::MAX);
                assert!(
                    level <= 0x0020_0000,
                    "expert info above chat in frame {}: {}",
                    row[0],
                    row[3]
                );
            }
        }
        for problem in [
            "Malformed",
            "Bad checksum",
            "incorrect",
            "[Checksum Status: Bad]",
        ] {
            assert!(
                !verbose.contains(problem),
                "tshark reports {problem}:\n{verbose}"
            );
        }
        assert!(
            verbose.contains("Maximum segment size: 1460 bytes"),
            "{verbose}"
        );
        // Every IPv4 header, and every TCP and UDP checksum, was verified and found good.
        assert_eq!(
            verbose.matches("[Header checksum status: Good]").count(),
            7,
            "{verbose}"
        );
        assert_eq!(
            verbose.matches("[Checksum Status: Good]").count(),
            7,
            "{verbose}"
        );
    }
}
