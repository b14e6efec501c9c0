//! What the layer inspector shows for one frame: the dissector's layer tree
//! ([`crate::wire::layers::dissect`]) as five nested boxes, physical outermost, each field with
//! its name, value, byte range and a one-line note ([`field_notes`]), and a hex dump in rows of
//! 16 bytes where every byte knows the field it belongs to, so hovering either one can light
//! up the other. [`Inspection::markup`] builds the HTML with every text escaped.

use std::fmt::Write;
use std::ops::Range;

use super::field_notes::{field_note, layer_name, layer_note};
use super::markup::{element, escape};
use super::value_words::value_in;
use crate::lang::Lang;
use crate::wire::layers::{dissect, LayerKind};

/// Bytes per row of the hex dump, as Wireshark and `xxd` show them.
pub const ROW_LEN: usize = 16;

/// One field as the inspector shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectedField {
    /// The field's number in the whole frame, counted across layers from the physical one;
    /// the hex dump refers to fields by it.
    pub id: usize,
    pub name: String,
    pub value: String,
    pub range: Range<usize>,
    /// What the field is for, one line; empty when there is nothing to say.
    pub note: &'static str,
}

/// One layer's box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectedLayer {
    pub kind: LayerKind,
    pub protocol: String,
    pub range: Range<usize>,
    pub fields: Vec<InspectedField>,
    /// Why the layer could not be read completely.
    pub problem: Option<String>,
}

/// One row of the hex dump.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HexRow {
    /// Where the row starts in the frame.
    pub offset: usize,
    pub bytes: Vec<HexByte>,
}

/// One byte of the hex dump and the field it belongs to: of all fields that cover it, the
/// narrowest (so the TTL byte belongs to `Time to live`, not to the whole IPv4 layer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HexByte {
    pub value: u8,
    pub field: Option<usize>,
}

/// Everything the inspector shows of one frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inspection {
    /// Physical first; each layer sits inside the one before it.
    pub layers: Vec<InspectedLayer>,
    pub hex: Vec<HexRow>,
    /// Bytes no layer could read.
    pub unparsed: Option<Range<usize>>,
}

impl Inspection {
    /// Reads `frame`, which crossed a link of `bits_per_second` (0: unknown), with notes in
    /// `lang`.
    pub fn of(frame: &[u8], bits_per_second: u64, lang: Lang) -> Inspection {
        let tree = dissect(frame, bits_per_second);
        let mut next_id = 0;
        let layers: Vec<InspectedLayer> = tree
            .layers
            .into_iter()
            .map(|layer| {
                let fields = layer
                    .fields
                    .into_iter()
                    .map(|field| {
                        let id = next_id;
                        next_id += 1;
                        InspectedField {
                            id,
                            note: field_note(&layer.protocol, &field.name, &field.value, lang),
                            name: field.name,
                            value: field.value,
                            range: field.range,
                        }
                    })
                    .collect();
                InspectedLayer {
                    kind: layer.kind,
                    protocol: layer.protocol,
                    range: layer.range,
                    fields,
                    problem: layer.problem,
                }
            })
            .collect();
        let hex = hex_rows(frame, &layers);
        Inspection {
            layers,
            hex,
            unparsed: tree.unparsed,
        }
    }

    /// Every field, physical layer first.
    pub fn fields(&self) -> impl Iterator<Item = &InspectedField> {
        self.layers.iter().flat_map(|layer| &layer.fields)
    }

    /// The layer boxes and the hex dump as HTML. Field rows are focusable and carry
    /// `data-f` (their id) and `data-r` (`start,end` of their bytes); every byte of the dump
    /// carries `data-f` of the field it belongs to, so one delegated handler can link both.
    /// `hex_label` names the dump for assistive technology.
    pub fn markup(&self, lang: Lang, hex_label: &str) -> String {
        let mut html = String::new();
        for layer in &self.layers {
            // The physical layer's "protocol" is its own name: said once.
            let protocol = match layer.kind {
                LayerKind::Physical => String::new(),
                _ => format!(" · {}", escape(&layer.protocol)),
            };
            let _ = write!(
                html,
                r#"<section class="kr-insp__layer kr-insp__layer--{}" data-testid="layer-{}"><h4 class="kr-insp__layer-title">{} {}{protocol}</h4><p class="kr-insp__layer-note">{}</p>"#,
                layer_class(layer.kind),
                layer_class(layer.kind),
                layer.kind.number(),
                escape(layer_name(layer.kind, lang)),
                escape(layer_note(layer.kind, lang)),
            );
            if let Some(problem) = &layer.problem {
                html.push_str(r#"<p class="kr-insp__problem">"#);
                html.push_str(&escape(problem));
                html.push_str("</p>");
            }
            html.push_str(r#"<ul class="kr-insp__fields">"#);
            for field in &layer.fields {
                let _ = write!(
                    html,
                    r#"<li class="kr-insp__field" tabindex="0" data-f="{}" data-r="{},{}"><span class="kr-insp__name">{}</span> <code class="kr-insp__value">{}</code> <span class="kr-insp__range">{}</span>"#,
                    field.id,
                    field.range.start,
                    field.range.end,
                    escape(&field.name),
                    escape(&value_in(&field.value, lang)),
                    byte_range_text(&field.range, lang),
                );
                if !field.note.is_empty() {
                    element(&mut html, "small", field.note);
                }
                html.push_str("</li>");
            }
            html.push_str("</ul>");
        }
        // Each layer box closes inside the one around it.
        html.push_str(&"</section>".repeat(self.layers.len()));
        self.hex_markup(&mut html, hex_label);
        html
    }

    fn hex_markup(&self, html: &mut String, label: &str) {
        let _ = write!(
            html,
            r#"<figure class="kr-hex" data-testid="hex-dump"><figcaption>{}</figcaption><div class="kr-hex__grid" aria-hidden="true">"#,
            escape(label)
        );
        for row in &self.hex {
            let _ = write!(
                html,
                r#"<div class="kr-hex__row"><span class="kr-hex__offset">{:04x}</span><span class="kr-hex__bytes">"#,
                row.offset
            );
            for byte in &row.bytes {
                let _ = write!(
                    html,
                    r#"<span class="kr-hex__b"{}>{:02x}</span>"#,
                    field_attribute(byte.field),
                    byte.value
                );
            }
            html.push_str(r#"</span><span class="kr-hex__text">"#);
            for byte in &row.bytes {
                let shown = if byte.value.is_ascii_graphic() || byte.value == b' ' {
                    char::from(byte.value)
                } else {
                    '.'
                };
                let _ = write!(
                    html,
                    r#"<span class="kr-hex__c"{}>{}</span>"#,
                    field_attribute(byte.field),
                    escape(shown.encode_utf8(&mut [0; 4]))
                );
            }
            html.push_str("</span></div>");
        }
        html.push_str("</div></figure>");
    }
}

/// A style rule that lights up field `id`'s row and the bytes `range` of the hex dump (both
/// columns), by row and column position, so hovering needs no change to the dump itself.
pub fn highlight_css(id: usize, range: &Range<usize>) -> String {
    let mut css = format!(r#".kr-insp__field[data-f="{id}"]"#);
    if let Some(last) = range.end.checked_sub(1).filter(|&last| last >= range.start) {
        let (first_row, first_col) = (range.start / ROW_LEN + 1, range.start % ROW_LEN + 1);
        let (last_row, last_col) = (last / ROW_LEN + 1, last % ROW_LEN + 1);
        let row = |n: usize| format!(".kr-hex__row:nth-child({n}) :is(.kr-hex__b,.kr-hex__c)");
        if first_row == last_row {
            let _ = write!(
                css,
                ",{}:nth-child(n+{first_col}):nth-child(-n+{last_col})",
                row(first_row)
            );
        } else {
            let _ = write!(css, ",{}:nth-child(n+{first_col})", row(first_row));
            if last_row > first_row + 1 {
                let _ = write!(
                    css,
                    ",.kr-hex__row:nth-child(n+{}):nth-child(-n+{}) :is(.kr-hex__b,.kr-hex__c)",
                    first_row + 1,
                    last_row - 1
                );
            }
            let _ = write!(css, ",{}:nth-child(-n+{last_col})", row(last_row));
        }
    }
    css.push_str("{background:var(--kr-insp-mark);color:var(--kr-text)}");
    css
}

/// The layer's BEM modifier and test id: `kr-insp__layer--network`.
pub fn layer_class(kind: LayerKind) -> &'static str {
    match kind {
        LayerKind::Physical => "physical",
        LayerKind::DataLink => "datalink",
        LayerKind::Network => "network",
        LayerKind::Transport => "transport",
        LayerKind::Application => "application",
    }
}

/// `byte 22` or `bytes 14–33`, counted from 0 like the hex dump's offsets.
fn byte_range_text(range: &Range<usize>, lang: Lang) -> String {
    match range.len() {
        1 => format!("byte {}", range.start),
        _ => format!(
            "{} {}–{}",
            lang.pick("bytes", "byte"),
            range.start,
            range.end.saturating_sub(1)
        ),
    }
}

fn field_attribute(field: Option<usize>) -> String {
    field
        .map(|id| format!(r#" data-f="{id}""#))
        .unwrap_or_default()
}

/// The frame in rows of [`ROW_LEN`], each byte given to the narrowest field covering it (the
/// first one on a tie, as fields sharing a byte are listed from the high bits down).
fn hex_rows(frame: &[u8], layers: &[InspectedLayer]) -> Vec<HexRow> {
    let mut owners: Vec<Option<(usize, usize)>> = vec![None; frame.len()];
    for field in layers.iter().flat_map(|layer| &layer.fields) {
        let width = field.range.len();
        for owner in owners
            .iter_mut()
            .take(field.range.end)
            .skip(field.range.start)
        {
            if owner.is_none_or(|(_, narrowest)| width < narrowest) {
                *owner = Some((field.id, width));
            }
        }
    }
    frame
        .chunks(ROW_LEN)
        .zip(owners.chunks(ROW_LEN))
        .enumerate()
        .map(|(row, (bytes, owners))| HexRow {
            offset: row * ROW_LEN,
            bytes: bytes
                .iter()
                .zip(owners)
                .map(|(&value, owner)| HexByte {
                    value,
                    field: owner.map(|(id, _)| id),
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::sim::default_world::ani_presses_send;
    use crate::sim::event::EventKind;
    use crate::sim::world::World;

    /// A world in which ani submits a message to budi, run until nothing more happens.
    pub(crate) fn submitted_world() -> World {
        let mut world = World::default_world(1);
        let send = ani_presses_send(
            world.topology(),
            &["budi@beta.example"],
            "Halo Budi",
            "Sampai jumpa besok.",
        );
        world.apply(send.unwrap()).unwrap();
        world.run_until_idle();
        world
    }

    /// The bytes of the first frame sent whose SMTP command starts with `prefix`.
    fn frame_with_command<'w>(world: &'w World, prefix: &str) -> &'w [u8] {
        world
            .events()
            .iter()
            .filter_map(|event| match event.kind {
                EventKind::FrameSent { frame, .. } => world.frame(frame),
                _ => None,
            })
            .find(|bytes| {
                Inspection::of(bytes, 0, Lang::En)
                    .fields()
                    .any(|field| field.name == "Command" && field.value.starts_with(prefix))
            })
            .unwrap()
    }

    fn named<'i>(inspection: &'i Inspection, name: &str) -> &'i InspectedField {
        inspection
            .fields()
            .find(|field| field.name == name)
            .unwrap()
    }

    #[test]
    fn an_smtp_frame_shows_five_layers_with_values_matching_its_bytes() {
        let world = submitted_world();
        let frame = frame_with_command(&world, "EHLO ");
        let inspection = Inspection::of(frame, 100_000_000, Lang::En);
        let kinds: Vec<_> = inspection.layers.iter().map(|layer| layer.kind).collect();
        assert_eq!(
            kinds,
            [
                LayerKind::Physical,
                LayerKind::DataLink,
                LayerKind::Network,
                LayerKind::Transport,
                LayerKind::Application
            ]
        );
        let ttl = named(&inspection, "Time to live");
        assert_eq!(ttl.range, 22..23);
        assert_eq!(ttl.value, frame[22].to_string());
        assert_eq!(
            ttl.value, "64",
            "laptop-ani's own frame has not met a router yet"
        );
        assert!(ttl.note.contains("every router"));
        let source = named(&inspection, "Source address");
        assert_eq!(
            (source.value.as_str(), source.range.clone()),
            ("192.0.2.10", 26..30)
        );
        assert_eq!(&frame[26..30], &[192, 0, 2, 10]);
        let port = named(&inspection, "Destination port");
        assert_eq!(port.value, "587");
        assert_eq!(&frame[port.range.clone()], &587u16.to_be_bytes());
        let command = named(&inspection, "Command");
        assert!(command.value.starts_with("EHLO laptop-ani"));
        assert_eq!(&frame[command.range.end - 2..command.range.end], b"\r\n");
    }

    #[test]
    fn every_byte_belongs_to_its_narrowest_field() {
        let world = submitted_world();
        let frame = frame_with_command(&world, "MAIL FROM:");
        let inspection = Inspection::of(frame, 0, Lang::En);
        let owner = |offset: usize| {
            let byte = inspection.hex[offset / ROW_LEN].bytes[offset % ROW_LEN];
            assert_eq!(byte.value, frame[offset]);
            let id = byte.field.unwrap();
            let field = inspection.fields().find(|field| field.id == id).unwrap();
            field.name.as_str()
        };
        assert_eq!(owner(0), "Destination");
        assert_eq!(owner(12), "Type");
        assert_eq!(owner(14), "Version");
        assert_eq!(owner(22), "Time to live");
        assert_eq!(owner(34), "Source port");
        assert_eq!(owner(frame.len() - 1), "Command");
        let rows = &inspection.hex;
        assert_eq!(rows.len(), frame.len().div_ceil(ROW_LEN));
        assert!(rows.iter().all(|row| row.offset % ROW_LEN == 0));
        assert_eq!(
            rows.iter().map(|row| row.bytes.len()).sum::<usize>(),
            frame.len()
        );
    }

    #[test]
    fn the_markup_nests_the_layers_and_links_fields_to_bytes() {
        let world = submitted_world();
        let frame = frame_with_command(&world, "EHLO ");
        let inspection = Inspection::of(frame, 0, Lang::Id);
        let html = inspection.markup(Lang::Id, "Byte <frame>");
        assert_eq!(html.matches("<section").count(), 5);
        assert!(html.ends_with("</figure>"));
        // All five boxes open before any closes: each is inside the one before.
        let last_open = html.rfind("<section").unwrap();
        assert!(html.find("</section>").unwrap() > last_open);
        let ttl = named(&inspection, "Time to live");
        assert!(html.contains(&format!(r#"data-f="{}" data-r="22,23""#, ttl.id)));
        assert_eq!(
            html.matches(&format!(r#"class="kr-hex__b" data-f="{}""#, ttl.id))
                .count(),
            1
        );
        assert!(html.contains(">3 Jaringan · IPv4</h4>"));
        assert!(html.contains(">1 Fisik</h4>"));
        assert!(html.contains("Byte &lt;frame&gt;"));
        assert!(html.contains("byte 22<"));
        assert_eq!(html.matches("<li").count(), inspection.fields().count());
    }

    #[test]
    fn the_highlight_rule_covers_exactly_the_fields_rows_and_columns() {
        // The TTL: row 2, column 7.
        assert_eq!(
            highlight_css(12, &(22..23)),
            ".kr-insp__field[data-f=\"12\"],.kr-hex__row:nth-child(2) :is(.kr-hex__b,.kr-hex__c):nth-child(n+7):nth-child(-n+7){background:var(--kr-insp-mark);color:var(--kr-text)}"
        );
        // Bytes 14 to 53: the end of row 1, rows 2 and 3 whole, the start of row 4.
        let css = highlight_css(3, &(14..54));
        assert!(
            css.contains(".kr-hex__row:nth-child(1) :is(.kr-hex__b,.kr-hex__c):nth-child(n+15),")
        );
        assert!(css.contains(".kr-hex__row:nth-child(n+2):nth-child(-n+3) :is"));
        assert!(
            css.contains(".kr-hex__row:nth-child(4) :is(.kr-hex__b,.kr-hex__c):nth-child(-n+6){")
        );
        // Two adjacent rows have no middle part; an empty range lights only the field.
        assert!(!highlight_css(0, &(10..20)).contains("n+2):nth-child(-n+1)"));
        assert!(!highlight_css(0, &(5..5)).contains("kr-hex"));
    }

    #[test]
    fn a_cut_frame_shows_its_problem_and_unparsed_bytes() {
        let world = submitted_world();
        let frame = &frame_with_command(&world, "EHLO ")[..30];
        let inspection = Inspection::of(frame, 0, Lang::En);
        assert!(inspection.unparsed.is_some());
        assert!(inspection.markup(Lang::En, "").contains("kr-insp__problem"));
    }
}
